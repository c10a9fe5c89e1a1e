# Captures real routine DEBUG/WARNING lines naming timeouts: httpcore/httpx debug,
# urllib3 retry that then succeeded (slow server on 18081 sleeps 30 s; 18082 answers at once).
import logging, requests, httpx
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from pythonjsonlogger.json import JsonFormatter
h = logging.StreamHandler(open("py_benign_plain.out", "w")); h.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s"))
j = logging.StreamHandler(open("py_benign_json.out", "w")); j.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
root = logging.getLogger(); root.setLevel(logging.DEBUG); root.addHandler(h); root.addHandler(j)
httpx.get("http://127.0.0.1:18082/health", timeout=5.0)
s = requests.Session()
# first attempt goes to a port that times out? emulate by a mount with retries against the fast server after one slow attempt
class FlipAdapter(HTTPAdapter):
    n = 0
    def send(self, request, **kw):
        return super().send(request, **kw)
s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, read=2, backoff_factor=0.1)))
try:
    s.get("http://127.0.0.1:18081/v1/balance", timeout=1)
except Exception as e:
    logging.getLogger("app").info("gave up: %s", type(e).__name__)
s.get("http://127.0.0.1:18082/v1/balance", timeout=1)
