# allocate 1 MiB chunks forever (touching them) until killed or MemoryError
import sys
chunks = []
while True:
    chunks.append(bytearray(1024 * 1024))
