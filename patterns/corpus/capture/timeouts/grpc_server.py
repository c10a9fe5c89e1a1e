# Loopback gRPC server (127.0.0.1:18090) whose every unary method sleeps 10 s; stops after 10 minutes.
import grpc, time
from concurrent import futures
class Slow(grpc.GenericRpcHandler):
    def service(self, details):
        def h(req, ctx):
            time.sleep(10); return b""
        return grpc.unary_unary_rpc_method_handler(h, request_deserializer=None, response_serializer=None)
s = grpc.server(futures.ThreadPoolExecutor(8)); s.add_generic_rpc_handlers((Slow(),))
s.add_insecure_port("127.0.0.1:18090"); s.start(); time.sleep(600)
