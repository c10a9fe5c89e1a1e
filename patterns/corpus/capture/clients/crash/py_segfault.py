# faulthandler reports a segmentation fault in a C extension call
import faulthandler, ctypes
faulthandler.enable()
def decode_event(ptr):
    return ctypes.string_at(ptr)
decode_event(0)
