"""Prints the fully qualified names of the failed tests in the TRX files of a folder, one a line."""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for path in glob.glob(f"{sys.argv[1]}/*.trx"):
    root = ET.parse(path).getroot()
    names = {d.get("id"): d.find("t:TestMethod", NS) for d in root.findall("t:TestDefinitions/t:UnitTest", NS)}
    for result in root.findall("t:Results/t:UnitTestResult", NS):
        if result.get("outcome") == "Failed":
            method = names.get(result.get("testId"))
            if method is not None:
                print(f"{method.get('className')}.{method.get('name')}")
