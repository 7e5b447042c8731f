"""Hot loops: pure numba functions over household arrays (cache=True, no globals).

Every kernel walks households in fixed chunks (`CHUNK`), with `prange` over chunks, and
accumulates its flows into `acc[chunk, k, region, stratum]`; the caller sums over chunks in
order. The result is the same for any thread count. Float32 state is read into float64, and
each flow is recorded as the exact change of the rounded float32 stock, so the books close.
The village loops work the same way on fixed blocks of `VBLOCK` villages.
"""
CHUNK = 16384
VBLOCK = 64   # villages per parallel work unit of the village loops (villages are contiguous)
