#!/bin/sh
# Install everything gsswrap needs to build, run its demo and its test
# suite on Debian 12 (run as root). Used by the README and by CI.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libkrb5-dev libbsd-dev libssl-dev \
	krb5-kdc krb5-admin-server krb5-user krb5-pkinit \
	socat iproute2 procps coreutils \
	clang llvm clang-format clang-tidy cppcheck valgrind \
	git openssh-server openssh-client xinetd systemd \
	curl rsync python3 \
	stunnel4 openssl gnuplot-nox \
	>/dev/null
echo "install-deps: done"
