"""Adds up the counters of every TRX file in a folder and prints 'N passed, N failed[, N skipped]'.
A test project that crashed writes no TRX (or an aborted one); that is reported as a failure, never as zero tests."""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True)
for path in files:
    root = ET.parse(path).getroot()
    counters = root.find("t:ResultSummary/t:Counters", NS)
    outcome = root.find("t:ResultSummary", NS).get("outcome", "")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
    if outcome in ("Aborted", "Error") and int(counters.get("failed", 0)) == 0:
        failed += 1  # the run itself broke (a test host crash): count it so it cannot pass silently
if not files:
    failed = 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
