#!/usr/bin/env python3
"""Print the descriptors this process has open, as "fds=0 1 2;".

Run by a test's PROGRAM (as a child of its shell, or exec'd) to check that
gsswrapd hands it nothing but standard input, output and error. The
descriptor used to read /proc/self/fd is closed again by the time each one
is checked, so it is not counted; "$(ls /proc/$$/fd)" in a shell would
count the shell's own command-substitution pipe and script descriptors.
"""
import os

open_fds = []
for name in os.listdir("/proc/self/fd"):
    fd = int(name)
    try:
        os.fstat(fd)
    except OSError:
        continue
    open_fds.append(fd)
print("fds=" + " ".join(str(fd) for fd in sorted(open_fds)) + ";", flush=True)
