"""Starting and stopping the servers shops deploy (nginx, PHP-FPM, PostgreSQL,
...) for a test: as the invoking user, from the documented configs under
bindings/*/examples, on free loopback ports, in a temporary directory."""

from __future__ import annotations

import os
import pwd
import re
import grp
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))
sys.path.insert(0, str(REPO / "bindings" / "python" / "tests"))

from sandbox import Sandbox, free_port, http  # noqa: E402,F401  (re-exported)

LIBDIR = REPO / "target" / "debug"


def lib_path() -> str:
    return os.environ.get("CMPAY_LIB") or str(LIBDIR / "libcmpay.so")


# The binding in this process (orders, checks) loads the library the servers load.
os.environ["CMPAY_LIB"] = lib_path()


def user_and_group() -> tuple:
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def render(template: Path, out: Path, **values: object) -> Path:
    """A documented config with its {{NAME}} placeholders filled in; any left is an error."""
    text = template.read_text(encoding="utf-8")
    for k, v in values.items():
        text = text.replace("{{%s}}" % k, str(v))
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    assert not left, "unfilled placeholders in %s: %s" % (template, left)
    out.write_text(text, encoding="utf-8")
    return out


def run_dir(prefix: str) -> Path:
    """A fresh directory the servers (and, as root, their workers) can use."""
    d = Path(tempfile.mkdtemp(prefix="cmpay-%s-" % prefix))
    d.chmod(0o755)
    return d


def wait_port(port: int, proc: subprocess.Popen, log: Optional[Path] = None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited with %s:\n%s" % (proc.returncode, log.read_text(errors="replace") if log and log.exists() else ""))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nothing listens on %d:\n%s" % (port, log.read_text(errors="replace") if log and log.exists() else ""))


class Proc:
    """A server process this test started (and only that one is stopped)."""

    def __init__(self, args: Sequence[str], log: Path, env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None) -> None:
        self.log = log
        self.args = list(args)
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         env=env, cwd=cwd, start_new_session=True)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class PhpFpmNginx:
    """bindings/php/examples behind nginx + PHP-FPM, with the FFI setting
    ``mode``: "enable" (ffi.enable=true) or "preload" (the production one);
    the checkout talks to the gateway at env["CMPAY_ENDPOINT"] (the sandbox)."""

    EXAMPLES = REPO / "bindings" / "php" / "examples"
    DEPLOY = EXAMPLES / "deploy"

    def __init__(self, mode: str, env: Dict[str, str], workers: int = 4, nginx_conf: Optional[Path] = None,
                 **extra: object) -> None:
        self.mode = mode
        self.run = run_dir("php-" + mode)
        user, group = user_and_group()
        conf_d = self.run / "conf.d"
        conf_d.mkdir()
        if mode == "enable":
            render(self.DEPLOY / "ffi-enable.ini", conf_d / "99-cmpay.ini")
        else:
            header = self.run / "cmpay-ffi.h"
            with open(header, "wb") as h:
                subprocess.run(["php", str(REPO / "bindings" / "php" / "ffi-header.php"), "--lib", lib_path()], stdout=h, check=True)
            render(self.DEPLOY / "ffi-preload.ini", conf_d / "99-cmpay.ini", FFI_HEADER=header,
                   PRELOAD=REPO / "bindings" / "php" / "preload.php", USER=user)
        self.procs: List[Proc] = []
        last = ""
        for _ in range(5):
            fpm_port, self.port = free_port(), free_port()
            render(self.DEPLOY / "php-fpm.conf", self.run / "php-fpm.conf", RUN=self.run, FPM="127.0.0.1:%d" % fpm_port,
                   USER=user, GROUP=group, WORKERS=workers, LIB=lib_path(),
                   MERCHANT_ID=env["CMPAY_MERCHANT_ID"], SIGN_KEY=env["CMPAY_SIGN_KEY"], DB_DSN=env["CMPAY_DB_DSN"],
                   ENDPOINT=env["CMPAY_ENDPOINT"], ALLOW_HTTP="1", SHOP_URL="http://127.0.0.1:%d/" % self.port)
            render(nginx_conf or self.DEPLOY / "nginx.conf", self.run / "nginx.conf", RUN=self.run,
                   LISTEN="127.0.0.1:%d" % self.port, EXAMPLES=self.EXAMPLES, FPM="127.0.0.1:%d" % fpm_port, **extra)
            # PHP_INI_SCAN_DIR with a leading ':' adds our conf.d after Debian's own.
            fpm_env = dict(os.environ, PHP_INI_SCAN_DIR=":" + str(conf_d))
            fpm_args = ["php-fpm8.2", "--nodaemonize", "--fpm-config", str(self.run / "php-fpm.conf")]
            if os.geteuid() == 0:
                fpm_args.append("--allow-to-run-as-root")
            fpm = Proc(fpm_args, self.run / "php-fpm.out", env=fpm_env)
            nginx_args = ["nginx", "-p", str(self.run), "-e", str(self.run / "error.log"), "-c", str(self.run / "nginx.conf")]
            if os.geteuid() == 0:
                nginx_args += ["-g", "user %s %s;" % (user, group)]  # workers as the invoking user, as without root
            try:
                wait_port(fpm_port, fpm.proc, self.run / "php-fpm.out")
                self.procs.append(fpm)
                ngx = Proc(nginx_args, self.run / "nginx.out")
                self.procs.append(ngx)
                wait_port(self.port, ngx.proc, self.run / "nginx.out")
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            except RuntimeError as e:  # a port taken in between: try others
                last = str(e)
                self.stop(keep_dir=True)
        raise RuntimeError("nginx + PHP-FPM did not start: " + last)

    def logs(self) -> str:
        return "\n".join("== %s\n%s" % (p.name, p.read_text(errors="replace")[-4000:]) for p in sorted(self.run.glob("*.log")) + sorted(self.run.glob("*.out")))

    def stop(self, keep_dir: bool = False) -> None:
        for p in reversed(self.procs):
            p.stop(signal.SIGQUIT if p.args[0] == "nginx" else signal.SIGTERM)
        self.procs = []
        if not keep_dir:
            shutil.rmtree(self.run, ignore_errors=True)


class Postgres:
    """Debian's PostgreSQL server in a temporary cluster on a loopback port,
    started and stopped here (initdb/pg_ctl). PostgreSQL refuses to run as
    root: as root, the cluster belongs to the `postgres` system user."""

    def __init__(self) -> None:
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bindir:
            raise RuntimeError("PostgreSQL is not installed (scripts/install-deps.sh)")
        self.bin = bindir[-1].parent
        self.dir = run_dir("pg")
        self.as_user: List[str] = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        data = self.dir / "data"
        self.user = "shop"
        subprocess.run(self.as_user + [str(self.bin / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                                        "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        last = ""
        for _ in range(5):
            self.port = free_port()
            opts = "-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c fsync=off -c max_connections=50" % (self.port, self.dir)
            r = subprocess.run(self.as_user + [str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "pg.log"), "-o", opts, "-w", "-t", "60", "start"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode == 0:
                self.data = data
                return
            last = r.stdout + (self.dir / "pg.log").read_text(errors="replace")
        shutil.rmtree(self.dir, ignore_errors=True)
        raise RuntimeError("PostgreSQL did not start: " + last)

    def database(self, name: str) -> str:
        """A new database (its name)."""
        self.psql("CREATE DATABASE %s" % name, "postgres")
        return name

    def pdo_dsn(self, name: str) -> str:
        return "pgsql:host=127.0.0.1;port=%d;dbname=%s;user=%s" % (self.port, name, self.user)

    def conninfo(self, name: str) -> str:
        return "host=127.0.0.1 port=%d dbname=%s user=%s" % (self.port, name, self.user)

    def psql(self, sql: str, db: str) -> List[List[str]]:
        r = subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", db,
                            "-v", "ON_ERROR_STOP=1", "-At", "-F", "\t", "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            raise RuntimeError("psql: " + r.stderr)
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def stop(self) -> None:
        subprocess.run(self.as_user + [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


class OneProcessServer:
    """A server that is one process listening on a free loopback port: tried
    on up to five ports (another test may take a free port first), its
    output in ``run/<log>``, stopped with its run directory."""

    def _start(self, what: str, args_for_port, log: str, env: Dict[str, str],
               cwd: Optional[Path] = None, timeout: float = 30.0) -> None:
        self.procs: List[Proc] = []
        self.log = self.run / log
        last = ""
        for _ in range(5):
            self.port = free_port()
            proc = Proc(args_for_port(self.port), self.log, env=env, cwd=cwd)
            try:
                wait_port(self.port, proc.proc, self.log, timeout=timeout)
                self.procs.append(proc)
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            except RuntimeError as e:
                last = str(e)
                proc.stop()
        raise RuntimeError(what + " did not start: " + last)

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        for p in self.procs:
            p.stop()
        self.procs = []
        shutil.rmtree(self.run, ignore_errors=True)


class Gunicorn(OneProcessServer):
    """A WSGI application of bindings/python/examples under gunicorn
    (``module:callable``), with ``workers`` sync workers."""

    EXAMPLES = REPO / "bindings" / "python" / "examples"

    def __init__(self, app: str, env: Dict[str, str], workers: int = 3, chdir: Optional[Path] = None) -> None:
        self.run = run_dir("gunicorn")
        self._start("gunicorn", lambda port: [
            sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", "127.0.0.1:%d" % port,
            "--chdir", str(chdir or self.EXAMPLES), "--error-logfile", "-", "--graceful-timeout", "5", app],
            "gunicorn.out", dict(os.environ, PYTHONDONTWRITEBYTECODE="1", CMPAY_LIB=lib_path(), **env))


class Jetty(OneProcessServer):
    """bindings/java's WAR (build-war.sh) as the root web application of
    Debian's Jetty 9 (with its JSP engine), run as the invoking user from a
    jetty.base in a temporary directory; settings as system properties."""

    HOME = Path("/usr/share/jetty9")
    WAR = REPO / "bindings" / "java" / "build" / "cmpay-notify.war"

    def __init__(self, props: Dict[str, str]) -> None:
        self.run = run_dir("jetty")
        (self.run / "webapps").mkdir()
        shutil.copy(self.WAR, self.run / "webapps" / "ROOT.war")

        def args(port: int) -> List[str]:
            a = ["java", "-Xmx256m", "-Djava.io.tmpdir=%s" % self.run, "-Djetty.home=%s" % self.HOME, "-Djetty.base=%s" % self.run]
            a += ["-D%s=%s" % kv for kv in sorted(props.items())]
            return a + ["-jar", str(self.HOME / "start.jar"), "--module=http,deploy,jsp",
                        "jetty.http.host=127.0.0.1", "jetty.http.port=%d" % port]
        self._start("Jetty", args, "jetty.out", dict(os.environ, CMPAY_LIB=lib_path()), cwd=self.run, timeout=60)


class MonoFastCgiNginx:
    """bindings/dotnet's Notify.ashx as an ASP.NET site (web.config, bin/)
    served by Mono's fastcgi-mono-server4 behind nginx, both as the invoking
    user, from the documented configs in examples/ and examples/deploy."""

    EXAMPLES = REPO / "bindings" / "dotnet" / "examples"
    BUILD = REPO / "bindings" / "dotnet" / "build"
    notify_path = return_path = "Notify.ashx"

    def __init__(self, values: Dict[str, str], env: Optional[Dict[str, str]] = None) -> None:
        self.run = run_dir("mono")
        self.site = self.run / "site"
        (self.site / "bin").mkdir(parents=True)
        shutil.copy(self.EXAMPLES / "Notify.ashx", self.site)
        render(self.EXAMPLES / "web.config", self.site / "web.config", **values)
        for dll in ("Cmpay.dll", "Cmpay.Examples.dll"):
            shutil.copy(self.BUILD / dll, self.site / "bin")
        user, group = user_and_group()
        self.procs: List[Proc] = []
        last = ""
        for _ in range(5):
            fcgi_port, self.port = free_port(), free_port()
            render(self.EXAMPLES / "deploy" / "nginx-mono.conf", self.run / "nginx.conf", RUN=self.run,
                   LISTEN="127.0.0.1:%d" % self.port, SITE=self.site, FASTCGI="127.0.0.1:%d" % fcgi_port)
            mono = Proc(["fastcgi-mono-server4", "--applications=/:%s" % self.site, "--socket=tcp:127.0.0.1:%d" % fcgi_port,
                         "--printlog", "--loglevels=Standard"], self.run / "mono.out",
                        env=dict(os.environ, CMPAY_LIB=lib_path(), MONO_SHARED_DIR=str(self.run), **(env or {})), cwd=self.run)
            nginx_args = ["nginx", "-p", str(self.run), "-e", str(self.run / "error.log"), "-c", str(self.run / "nginx.conf")]
            if os.geteuid() == 0:
                nginx_args += ["-g", "user %s %s;" % (user, group)]
            try:
                wait_port(fcgi_port, mono.proc, self.run / "mono.out", timeout=60)
                self.procs.append(mono)
                ngx = Proc(nginx_args, self.run / "nginx.out")
                self.procs.append(ngx)
                wait_port(self.port, ngx.proc, self.run / "nginx.out")
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            except RuntimeError as e:
                last = str(e)
                for p in reversed(self.procs):
                    p.stop()
                self.procs = []
        raise RuntimeError("nginx + fastcgi-mono-server4 did not start: " + last)

    def logs(self) -> str:
        return "\n".join("== %s\n%s" % (p.name, p.read_text(errors="replace")[-4000:]) for p in sorted(self.run.glob("*.out")) + sorted(self.run.glob("*.log")))

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.stop(signal.SIGQUIT if p.args[0] == "nginx" else signal.SIGTERM)
        self.procs = []
        shutil.rmtree(self.run, ignore_errors=True)
