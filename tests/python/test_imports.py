"""`import chainload` loads the heavy optional libraries only when a function needs them (issue 15:
notebook start-up). Run in a fresh interpreter, since this test process has imported them all."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["matplotlib", "networkx", "pyarrow", "scipy", "dask", "distributed", "numba"]

# Which of HEAVY are loaded after `import numpy, pandas`, then after `import chainload` too.
PROBE = f"""
import json, sys
heavy = lambda: sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))
import numpy, pandas
by_pandas = heavy()
import chainload
print(json.dumps([by_pandas, heavy()]))
"""


def test_import_chainload_loads_no_heavy_library_of_its_own():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    by_pandas, by_chainload = json.loads(out.stdout)
    # pandas 3 imports pyarrow itself when it is installed (pandas.compat.pyarrow); chainload must
    # add nothing to what `import pandas` alone loads.
    assert set(by_pandas) <= {"pyarrow"}
    assert by_chainload == by_pandas
