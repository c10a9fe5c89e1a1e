# Uncaught exception ending the process (captured: python3 py_uncaught.py 2> out)
import json

def load_checkpoint(raw):
    return json.loads(raw)["position"]

def main():
    print(load_checkpoint('{"pos": 12}'))

main()
