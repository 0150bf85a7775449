"""`floors app`: what-ifs in the browser, on the same engine as the command line.

A local web page (Dash, with plotly charts, all served from this computer) over `floors.run`:
choose a country and a starting scenario, move the policy levers and the context knobs, and the
floor is recosted; download the workbook ``floors run`` would write and the scenario file that
reproduces it; keep several what-ifs side by side with the change split by cause.

`Session` (floors.app.session) is the part without the web: the tests and the latency benchmark
drive it directly. `create_app` builds the page, `listen` binds it to a port of localhost, `serve` runs it.
"""

from floors.app.server import create_app, listen, serve
from floors.app.session import Session, WhatIf

__all__ = ["Session", "WhatIf", "create_app", "listen", "serve"]
