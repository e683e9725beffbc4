#!/usr/bin/env python3
"""Checks a pom and its jars against what Maven Central requires of a
release (https://central.sonatype.org/publish/requirements/): coordinates and
a release version (no -SNAPSHOT); name, description, url; at least one
license with name and url; at least one developer with a name; scm with
connection and url; the -sources.jar and -javadoc.jar beside the jar. And
what a published pom must not carry: test-scope dependencies, build plugins,
profiles, repositories or ${...} left unresolved. (Signatures and checksums
are made at upload: .github/workflows/release.yml.) Prints every problem and
exits 1 if there is one.
Usage: check_central_pom.py POM [JAR]   (JAR: the main jar; its siblings are looked for)"""
import os
import sys
import xml.etree.ElementTree as ET

NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def problems(pom_path, jar=None):
    out = []
    root = ET.parse(pom_path).getroot()

    def text(path):
        e = root.find(path, NS)
        return (e.text or "").strip() if e is not None else ""

    for tag in ("modelVersion", "groupId", "artifactId", "version", "name", "description", "url"):
        if not text("m:" + tag):
            out.append("no <%s>" % tag)
    if text("m:version").endswith("-SNAPSHOT"):
        out.append("version %s is a snapshot" % text("m:version"))
    licenses = root.findall("m:licenses/m:license", NS)
    if not licenses:
        out.append("no <licenses><license>")
    for lic in licenses:
        for tag in ("name", "url"):
            if not (lic.findtext("m:" + tag, "", NS) or "").strip():
                out.append("a <license> without <%s>" % tag)
    devs = root.findall("m:developers/m:developer", NS)
    if not devs:
        out.append("no <developers><developer>")
    for d in devs:
        if not (d.findtext("m:name", "", NS) or d.findtext("m:id", "", NS) or "").strip():
            out.append("a <developer> without <name>")
    for tag in ("connection", "url"):
        if not text("m:scm/m:" + tag):
            out.append("no <scm><%s>" % tag)
    for d in root.findall("m:dependencies/m:dependency", NS):
        if (d.findtext("m:scope", "", NS) or "").strip() == "test":
            out.append("test dependency %s:%s" % (d.findtext("m:groupId", "", NS), d.findtext("m:artifactId", "", NS)))
    for tag in ("build", "profiles", "repositories", "pluginRepositories"):
        if root.find("m:" + tag, NS) is not None:
            out.append("<%s> in a published pom" % tag)
    for e in root.iter():
        if e.text and "${" in e.text:
            out.append("unresolved %s in <%s>" % (e.text.strip(), e.tag.split("}")[1]))
    if jar is not None:
        base = jar[:-len(".jar")]
        for f in (jar, base + "-sources.jar", base + "-javadoc.jar"):
            if not os.path.isfile(f):
                out.append("missing %s" % os.path.basename(f))
    return out


def main(argv):
    found = problems(argv[1], argv[2] if len(argv) > 2 else None)
    for p in found:
        print("%s: %s" % (argv[1], p), file=sys.stderr)
    if not found:
        print("%s: meets Maven Central's requirements" % argv[1])
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
