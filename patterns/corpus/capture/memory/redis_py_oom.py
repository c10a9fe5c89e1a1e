# redis-py client against the full server of redis_oom.sh, logging the refusal with stdlib logging.
import logging, redis
logging.basicConfig(format='%(asctime)s %(levelname)s [%(name)s] %(message)s', level=logging.INFO)
log = logging.getLogger('ledger.cache')
r = redis.Redis(port=16399)
try:
    r.set('snapshot:account-42', b'x' * 100000)
except redis.exceptions.RedisError as e:
    log.error('snapshot cache write failed: %s: %s', type(e).__name__, e)
    log.exception('snapshot cache write failed')
