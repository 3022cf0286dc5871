"""Benchmarks across machines on Ray (the optional `ray` extra): one actor per device.

The driver (the `artemis bench ... --ray ADDRESS` process) keeps the run folder and its
result store, exactly as a local run does; actors run cases on their own nodes and send each
finished case back (its record, and the files it wrote), and the driver writes them through
the same durable store. So a Ray run and a local run leave the same folder, and a rerun of
either resumes the other.

- `cluster`: connecting to a cluster (`ray` is imported here only, lazily).
- `actors`: a pool of actors fed one case at a time, replacing an actor that died.
- `tips`: the run's tip store shared by every actor, proposals merged by one writer.
- `simworld`, `screenspot`: the benchmarks' Ray routes.
"""
