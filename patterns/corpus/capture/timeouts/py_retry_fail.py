# requests with urllib3 Retry against the slow server (18081): retries exhausted on read timeouts.
import logging, requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
logging.basicConfig(format="%(asctime)s %(levelname)s [%(name)s] %(message)s", level=logging.WARNING)
s = requests.Session(); s.mount("http://", HTTPAdapter(max_retries=Retry(total=1, read=1, backoff_factor=0.1)))
try:
    s.get("http://127.0.0.1:18081/v1/balance", timeout=1)
except Exception as e:
    logging.getLogger("app.ledger").error("balance lookup failed: %s", e)
