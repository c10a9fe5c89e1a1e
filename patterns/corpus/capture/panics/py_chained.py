# Chained traceback: an exception raised while handling another, uncaught
class StoreUnavailable(Exception):
    pass

def append(stream):
    try:
        raise ConnectionRefusedError(111, "Connection refused")
    except OSError as e:
        raise StoreUnavailable(f"cannot append to {stream}") from e

append("order-42")
