"""Input and output helpers any layer may use, below everything else.

* `floors.io.files`  writing files atomically (a temporary file beside each destination,
                     renamed into place only when every file has been written);
* `floors.io.excel`  Excel cells, tables and charts (one styled, frozen table from A1,
                     number formats by unit, stacked column charts, series by row).

These modules import nothing from floors but `floors.problems` and `floors.dims`, so the
assumptions, the data importers and the reports can all use them without importing one
another. Import the submodule you need: `floors.io.files` does not load openpyxl.
"""
