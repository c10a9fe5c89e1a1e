# the process dies on an uncaught MemoryError under an address-space limit
import resource
resource.setrlimit(resource.RLIMIT_AS, (512 << 20, resource.RLIM_INFINITY))
events = []
while True:
    events.append(bytearray(32 << 20))
