#!/usr/bin/env python3
"""Writes the pom Maven Central gets from the build pom (bindings/java/pom.xml):
the project's coordinates, name, description, url, licenses, developers, scm
and its runtime dependencies, with ${...} properties resolved, and nothing
else: no test dependencies, build plugins or profiles pointing into the
checkout. Usage: release_pom.py BUILD_POM OUT_POM"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "http://maven.apache.org/POM/4.0.0"
KEEP = ["modelVersion", "groupId", "artifactId", "version", "packaging", "name", "description", "url",
        "licenses", "developers", "scm"]
RUNTIME_SCOPES = {None, "compile", "runtime"}


def q(tag):
    return "{%s}%s" % (NS, tag)


def main(src, out):
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    build = ET.parse(src).getroot()
    props = {"project.version": build.find(q("version")).text}
    for p in build.find(q("properties")) if build.find(q("properties")) is not None else []:
        props[p.tag.split("}")[1]] = p.text or ""

    def resolve(text):
        def sub(m):
            if m.group(1) not in props:
                raise SystemExit("%s: unresolved ${%s} in a released element" % (src, m.group(1)))
            return props[m.group(1)]
        for _ in range(5):
            text = re.sub(r"\$\{([^}]+)\}", sub, text)
        return text

    pom = ET.Element(q("project"), {
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation":
            "http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd"})
    for tag in KEEP:
        e = build.find(q(tag))
        if e is not None:
            pom.append(e)
    deps = ET.SubElement(pom, q("dependencies"))
    for d in build.find(q("dependencies")):
        if d.tag != q("dependency"):
            continue
        scope = d.find(q("scope"))
        if (scope.text if scope is not None else None) in RUNTIME_SCOPES:
            deps.append(d)
    if len(deps) == 0:
        pom.remove(deps)
    for e in pom.iter():
        if e.text and "${" in e.text:
            e.text = resolve(e.text)
    ET.indent(pom)
    with open(out, "wb") as f:
        ET.ElementTree(pom).write(f, encoding="UTF-8", xml_declaration=True)
        f.write(b"\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
