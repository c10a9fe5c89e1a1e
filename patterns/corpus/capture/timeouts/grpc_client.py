# Python grpcio client hitting the slow server with a 1 s deadline; logs the real error.
import grpc, logging
logging.basicConfig(format="%(asctime)s %(levelname)s [%(name)s] %(message)s")
log = logging.getLogger("ledger.client")
ch = grpc.insecure_channel("127.0.0.1:18090")
call = ch.unary_unary("/ledger.v1.Ledger/AppendEvents")
try:
    call(b"", timeout=1)
except grpc.RpcError as e:
    log.exception("AppendEvents failed")
    log.error("AppendEvents failed: code=%s details=%s", e.code(), e.details())
