"""A stand-in for the parts of google-research/android_world that artemis touches.

Written for artemis's tests from android_world's documented interface (field names, call
signatures, behaviour described in its docstrings); it is not android_world's code. Tests put
the folder above this package on `sys.path` (see the `android_world` fixture) so that
`import android_world` finds it, in this process and in spawned worker processes.

`world` holds the fake emulator the stand-in env runs on, and how tests script it.
"""
