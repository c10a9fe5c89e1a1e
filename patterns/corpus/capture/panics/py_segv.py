# Fatal Python error via a NULL read, with faulthandler on (python3 -X faulthandler py_segv.py)
import ctypes
def read_null():
    return ctypes.string_at(0)
read_null()
