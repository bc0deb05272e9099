"""Optuna's RDBStorage doing the same bookkeeping as bench/storage/index.ts, for comparison.

    python3 optuna_rdb.py URL TRIALS WORKERS STEPS

URL is an SQLAlchemy URL (sqlite:///path or postgresql+psycopg2://...). Each of WORKERS
processes runs TRIALS trials of: ask, suggest 3 params, report STEPS intermediate values, tell,
with RandomSampler (so the sampler costs next to nothing) on one study. Prints one JSON line:
{"trials": n, "seconds": wall time, "loopSeconds": the slowest worker's loop,
"msPerTrial": per trial of one worker}.
"""
import json
import multiprocessing
import sys
import time

import optuna


def work(url, name, trials, steps, seed, out):
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = optuna.storages.RDBStorage(url)
    study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler(seed=seed))
    start = time.perf_counter()
    for _ in range(trials):
        t = study.ask()
        x = t.suggest_float("x", -5, 5)
        n = t.suggest_int("n", 1, 64, log=True)
        c = t.suggest_categorical("c", ["a", "b", "c"])
        for s in range(steps):
            t.report(x * s + n, s)
        study.tell(t, x * x + n + (c == "a"))
    out.put(time.perf_counter() - start)


def main():
    url, trials, workers, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = f"bench-{time.time_ns()}"
    optuna.create_study(study_name=name, storage=optuna.storages.RDBStorage(url))
    out = multiprocessing.Queue()
    start = time.perf_counter()
    procs = [multiprocessing.Process(target=work, args=(url, name, trials, steps, i, out)) for i in range(workers)]
    for p in procs:
        p.start()
    per = [out.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - start
    print(json.dumps({"trials": trials * workers, "seconds": wall, "loopSeconds": max(per), "msPerTrial": 1000 * sum(per) / (trials * workers)}))


if __name__ == "__main__":
    main()
