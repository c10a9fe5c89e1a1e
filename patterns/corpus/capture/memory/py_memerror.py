# Python MemoryError under `ulimit -v 400000` (see py_memerror.sh), logged three ways:
# the plain traceback, python-json-logger, and structlog's JSON renderer.
import sys, logging
sys.path.insert(0, __file__.rsplit('/', 1)[0] + '/pylib')
mode = sys.argv[1]
def boom():
    return bytearray(2 * 1024 ** 3)   # 2 GiB in one request
def grow():
    keep = []
    while True:
        keep.append(bytearray(1024 * 1024))
if mode == 'plain':
    boom()
elif mode == 'plain_grow':
    grow()
elif mode == 'jsonlogger':
    from pythonjsonlogger.json import JsonFormatter
    h = logging.StreamHandler(sys.stdout)
    h.setFormatter(JsonFormatter('%(asctime)s %(levelname)s %(name)s %(message)s', rename_fields={'asctime': 'timestamp', 'levelname': 'level', 'name': 'logger'}))
    log = logging.getLogger('ledger.projector'); log.addHandler(h); log.setLevel(logging.INFO)
    try:
        boom()
    except MemoryError:
        log.exception('snapshot rebuild failed')
elif mode == 'structlog':
    import structlog
    structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt='iso', key='timestamp'),
                                    structlog.processors.dict_tracebacks, structlog.processors.JSONRenderer()])
    log = structlog.get_logger('ledger.replay')
    try:
        boom()
    except MemoryError:
        log.exception('event replay aborted', stream='account-42')
elif mode == 'structlog_plain_exc':
    import structlog
    structlog.configure(processors=[structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt='iso', key='timestamp'),
                                    structlog.processors.format_exc_info, structlog.processors.JSONRenderer()])
    log = structlog.get_logger('ledger.replay')
    try:
        grow()
    except MemoryError:
        log.exception('event replay aborted', stream='account-42')
