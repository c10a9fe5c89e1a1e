# requests + urllib3 Retry against the flaky server (18086): one read timeout, then the retry succeeds.
import logging, requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from pythonjsonlogger.json import JsonFormatter
logging.basicConfig(format="%(asctime)s %(levelname)s [%(name)s] %(message)s", level=logging.INFO)
j = logging.StreamHandler(open("py_retry_ok_json.out", "w")); j.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
logging.getLogger().addHandler(j)
s = requests.Session(); s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, read=2, backoff_factor=0.1)))
r = s.get("http://127.0.0.1:18086/v1/balance", timeout=1)
logging.getLogger("app.ledger").info("balance lookup ok: %s", r.status_code)
