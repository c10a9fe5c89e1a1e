# urllib3 retry that later succeeds against a local server: the WARNING "Retrying (...)" is routine
import logging, threading, socket, time, http.server
import urllib3
logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
def serve_later():
    time.sleep(0.5)
    srv = http.server.HTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
    srv.handle_request()
threading.Thread(target=serve_later, daemon=True).start()
http_ = urllib3.PoolManager(retries=urllib3.Retry(total=5, backoff_factor=0.3))
r = http_.request("GET", f"http://127.0.0.1:{port}/")
print("status", r.status)
