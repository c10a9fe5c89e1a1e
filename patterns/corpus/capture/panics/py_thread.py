# A worker thread dies on an uncaught exception (threading.excepthook output)
import threading
def project():
    checkpoints = {}
    return checkpoints["orders"] + 1
t = threading.Thread(target=project, name="projector"); t.start(); t.join()
