"""Starting and stopping the servers shops deploy (nginx, PHP-FPM, PostgreSQL,
...) for a test: from the documented configs under bindings/*/examples, on
free loopback ports, in a temporary directory.

As an operations person deploys them: the library, the bindings and the
examples copied into a deployment directory (root-owned when run as root,
readable by all, writable by none), and the processes that serve requests
run as an unprivileged user: as root, ``www-data`` (the masters of nginx,
PHP-FPM and gunicorn start as root and hand their workers to it; Jetty and
fastcgi-mono-server4 run as it altogether); otherwise the invoking user.
Only the shop's data and the servers' scratch directories are writable by it."""

from __future__ import annotations

import atexit
import grp
import os
import pwd
import re
import shutil
import stat
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple
from xml.sax.saxutils import escape as xml_escape

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bindings" / "python"))
sys.path.insert(0, str(REPO / "bindings" / "python" / "tests"))

from sandbox import Sandbox, free_port, http  # noqa: E402,F401  (re-exported)

LIBDIR = REPO / "target" / "debug"


def lib_path() -> str:
    return os.environ.get("CMPAY_LIB") or str(LIBDIR / "libcmpay.so")


# The binding in this process (orders, checks) loads the library the servers load.
os.environ["CMPAY_LIB"] = lib_path()


WORKER_USER = "www-data"  # Debian's user for web server workers (base-passwd)


def worker_user() -> Tuple[str, str]:
    """The user (and group) the servers' workers run as: www-data when the
    test runs as root (created as a system user, as Debian's base-passwd
    has it, where it is missing), otherwise the invoking user."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name
    try:
        pw = pwd.getpwnam(WORKER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/var/www",
                        "--shell", "/usr/sbin/nologin", WORKER_USER], check=True)
        pw = pwd.getpwnam(WORKER_USER)
    return pw.pw_name, grp.getgrgid(pw.pw_gid).gr_name


def worker_ids() -> Tuple[int, int]:
    user, group = worker_user()
    return pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid


def give_to_worker(path: Path) -> Path:
    """A file or directory tree the workers write (the shop's database, a
    server's scratch directory) handed to their user, as `chown -R` would."""
    uid, gid = worker_ids()
    for p in [path] + (sorted(path.rglob("*")) if path.is_dir() else []):
        os.chown(p, uid, gid)
    return path


def _publish(tree: Path) -> None:
    """Modes of a deployed tree: directories and executables 0755, files 0644."""
    for p in [tree] + sorted(tree.rglob("*")):
        executable = p.is_dir() or p.stat().st_mode & stat.S_IXUSR
        p.chmod(0o755 if executable else 0o644)


class Deployment:
    """What the servers need, copied out of the checkout (which may sit in a
    0700 home directory) into a directory their workers can read, as a deploy
    does, in the checkout's layout: lib/libcmpay.so, bindings/php (without its
    tests), bindings/python (the package, the examples) and bench/ (php/,
    python/ and notification.json: the benchmark's endpoints), once per session."""

    _current: Optional["Deployment"] = None

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="cmpay-deploy-"))
        (self.dir / "lib").mkdir()
        self.lib = self.dir / "lib" / "libcmpay.so"
        shutil.copy(lib_path(), self.lib)
        skip = shutil.ignore_patterns("tests", "vendor", "__pycache__", "*.pyc", ".*")
        self.php = self.dir / "bindings" / "php"
        shutil.copytree(REPO / "bindings" / "php", self.php, ignore=skip)
        self.python = self.dir / "bindings" / "python"
        for part in ("cmpay", "examples"):
            shutil.copytree(REPO / "bindings" / "python" / part, self.python / part, ignore=skip)
        self.bench = self.dir / "bench"
        for part in ("php", "python"):
            shutil.copytree(REPO / "bench" / part, self.bench / part, ignore=skip)
        shutil.copy(REPO / "bench" / "notification.json", self.bench)
        _publish(self.dir)
        atexit.register(shutil.rmtree, self.dir, True)

    @classmethod
    def get(cls) -> "Deployment":
        if cls._current is None:
            cls._current = Deployment()
        return cls._current


def render(template: Path, out: Path, **values: object) -> Path:
    """A documented config with its {{NAME}} placeholders filled in; any left is an error."""
    text = template.read_text(encoding="utf-8")
    for k, v in values.items():
        text = text.replace("{{%s}}" % k, str(v))
    left = re.findall(r"\{\{[A-Z_]+\}\}", text)
    assert not left, "unfilled placeholders in %s: %s" % (template, left)
    out.write_text(text, encoding="utf-8")
    return out


def run_dir(prefix: str, workers_write: bool = False) -> Path:
    """A fresh directory for a server: readable by all; with ``workers_write``
    owned by the workers' user (a scratch or data directory)."""
    d = Path(tempfile.mkdtemp(prefix="cmpay-%s-" % prefix))
    d.chmod(0o755)
    return give_to_worker(d) if workers_write else d


def _uids(pid: int) -> Optional[Tuple[int, ...]]:
    """A process's real, effective, saved and filesystem uid (None once it is gone)."""
    try:
        with open("/proc/%d/status" % pid, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Uid:"):
                    return tuple(int(x) for x in line.split()[1:5])
    except OSError:
        pass
    return None


def _children() -> Dict[int, List[int]]:
    out: Dict[int, List[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                # The fields after the command name (which may hold spaces): state, ppid, ...
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(d.name))
    return out


def _comm(pid: int) -> str:
    try:
        return Path("/proc/%d/comm" % pid).read_text().strip()
    except OSError:
        return "?"


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
    """A server process this test started (and only that one is stopped).
    ``master``: it starts as the invoking user and hands its workers to the
    workers' user itself (nginx, PHP-FPM, gunicorn); otherwise the whole
    process runs as that user (as systemd's User= would start it)."""

    def __init__(self, args: Sequence[str], log: Path, env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None,
                 master: bool = False) -> None:
        self.log = log
        self.args = list(args)
        self.master = master
        ids: Dict[str, object] = {}
        if not master and os.geteuid() == 0:
            uid, gid = worker_ids()
            ids = {"user": uid, "group": gid, "extra_groups": []}
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         env=env, cwd=cwd, start_new_session=True, **ids)

    def workers(self) -> Dict[int, Tuple[str, Tuple[int, ...]]]:
        """The processes that serve requests (the master's children, or the
        process itself and its children): pid -> (name, uids)."""
        children = _children()
        todo = list(children.get(self.proc.pid, [])) + ([] if self.master else [self.proc.pid])
        out: Dict[int, Tuple[str, Tuple[int, ...]]] = {}
        while todo:
            pid = todo.pop()
            uids = _uids(pid)
            if uids is not None:
                out[pid] = (_comm(pid), uids)
            todo += children.get(pid, [])
        return out

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
    the checkout talks to the gateway at env["CMPAY_ENDPOINT"] (the sandbox).
    The masters start as the invoking user, the workers run as worker_user()."""

    EXAMPLES = REPO / "bindings" / "php" / "examples"
    DEPLOY = EXAMPLES / "deploy"

    def __init__(self, mode: str, env: Dict[str, str], workers: int = 4, nginx_conf: Optional[Path] = None,
                 fpm_prefix: Sequence[str] = (), pool: Sequence[str] = (), preload: Optional[Path] = None,
                 **extra: object) -> None:
        """``fpm_prefix``: a command PHP-FPM runs under (valgrind for profile_php_fpm.py);
        ``pool``: settings replacing or added to the documented pool's (the benchmark's kit endpoint turns
        PHP's form parser back on); ``preload``: opcache.preload instead of the package's
        preload.php (the benchmark's, which adds its own functions)."""
        self.mode = mode
        deployed = Deployment.get()
        self.run = run_dir("php-" + mode)
        # The pool's own error log, written by its workers (as logrotate's `create` leaves it).
        errors = self.run / "php-errors.log"
        errors.touch()
        give_to_worker(errors)
        user, group = worker_user()
        conf_d = self.run / "conf.d"
        conf_d.mkdir()
        if mode == "enable":
            render(self.DEPLOY / "ffi-enable.ini", conf_d / "99-cmpay.ini")
        else:
            header = self.run / "cmpay-ffi.h"
            with open(header, "wb") as h:
                subprocess.run(["php", str(deployed.php / "ffi-header.php"), "--lib", str(deployed.lib)], stdout=h, check=True)
            header.chmod(0o644)
            render(self.DEPLOY / "ffi-preload.ini", conf_d / "99-cmpay.ini", FFI_HEADER=header,
                   PRELOAD=preload or deployed.php / "preload.php", USER=user)
        self.procs: List[Proc] = []
        last = ""
        for _ in range(5):
            fpm_port, self.port = free_port(), free_port()
            render(self.DEPLOY / "php-fpm.conf", self.run / "php-fpm.conf", RUN=self.run, FPM="127.0.0.1:%d" % fpm_port,
                   USER=user, GROUP=group, WORKERS=workers, LIB=deployed.lib,
                   MERCHANT_ID=env["CMPAY_MERCHANT_ID"], SIGN_KEY=env["CMPAY_SIGN_KEY"], DB_DSN=env["CMPAY_DB_DSN"],
                   ENDPOINT=env["CMPAY_ENDPOINT"], ALLOW_HTTP="1", SHOP_URL="http://127.0.0.1:%d/" % self.port)
            if pool:  # replaces the same settings (PHP-FPM keeps a pool's first), at the end: the pool's section
                conf = self.run / "php-fpm.conf"
                keys = {line.split("=")[0].strip() for line in pool}
                kept = [line for line in conf.read_text(encoding="utf-8").splitlines() if line.split("=")[0].strip() not in keys]
                conf.write_text("\n".join(kept + list(pool)) + "\n", encoding="utf-8")
            (self.run / "php-fpm.conf").chmod(0o600)  # the signKey: for the master's eyes only
            render(nginx_conf or self.DEPLOY / "nginx.conf", self.run / "nginx.conf", RUN=self.run, USER=user, GROUP=group,
                   LISTEN="127.0.0.1:%d" % self.port, EXAMPLES=deployed.php / "examples", FPM="127.0.0.1:%d" % fpm_port,
                   **extra)
            # PHP_INI_SCAN_DIR with a leading ':' adds our conf.d after Debian's own.
            fpm_env = dict(os.environ, PHP_INI_SCAN_DIR=":" + str(conf_d))
            fpm = Proc(list(fpm_prefix) + ["php-fpm8.2", "--nodaemonize", "--fpm-config", str(self.run / "php-fpm.conf")],
                       self.run / "php-fpm.out", env=fpm_env, master=True)
            try:
                wait_port(fpm_port, fpm.proc, self.run / "php-fpm.out")
                self.procs.append(fpm)
                ngx = Proc(["nginx", "-p", str(self.run), "-e", str(self.run / "error.log"), "-c", str(self.run / "nginx.conf")],
                           self.run / "nginx.out", master=True)
                self.procs.append(ngx)
                wait_port(self.port, ngx.proc, self.run / "nginx.out")
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            except RuntimeError as e:  # a port taken in between: try others
                last = str(e)
                self.stop(keep_dir=True)
        raise RuntimeError("nginx + PHP-FPM did not start: " + last)

    def workers(self) -> Dict[int, Tuple[str, Tuple[int, ...]]]:
        return {pid: w for p in self.procs for pid, w in p.workers().items()}

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
               cwd: Optional[Path] = None, timeout: float = 30.0, master: bool = False) -> None:
        self.procs: List[Proc] = []
        self.log = self.run / log
        last = ""
        for _ in range(5):
            self.port = free_port()
            proc = Proc(args_for_port(self.port), self.log, env=env, cwd=cwd, master=master)
            try:
                wait_port(self.port, proc.proc, self.log, timeout=timeout)
                self.procs.append(proc)
                self.url = "http://127.0.0.1:%d/" % self.port
                return
            except RuntimeError as e:
                last = str(e)
                proc.stop()
        raise RuntimeError(what + " did not start: " + last)

    def workers(self) -> Dict[int, Tuple[str, Tuple[int, ...]]]:
        return {pid: w for p in self.procs for pid, w in p.workers().items()}

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        for p in self.procs:
            p.stop()
        self.procs = []
        shutil.rmtree(self.run, ignore_errors=True)


def shop_python() -> str:
    """The interpreter of the deployed Python examples: this one, or, as root
    (whose interpreter www-data may not read, e.g. pyenv under /root), the
    web app's own virtualenv that scripts/install-deps.sh makes."""
    if os.geteuid() != 0:
        return sys.executable
    python = Path(os.environ.get("CMPAY_SHOP_VENV", "/opt/cmpay-shop-venv")) / "bin" / "python"
    if not python.exists():
        raise RuntimeError("%s is missing (scripts/install-deps.sh makes it)" % python)
    return str(python)


class Gunicorn(OneProcessServer):
    """A WSGI application of bindings/python/examples (as deployed) under
    gunicorn (``module:callable``), with ``workers`` sync workers: the master
    starts as the invoking user, the workers run as worker_user() (--user,
    --group)."""

    EXAMPLES = REPO / "bindings" / "python" / "examples"

    def __init__(self, app: str, env: Dict[str, str], workers: int = 3, chdir: Optional[Path] = None) -> None:
        deployed = Deployment.get()
        self.run = run_dir("gunicorn")
        user, group = worker_user()
        self._start("gunicorn", lambda port: [
            shop_python(), "-m", "gunicorn", "--workers", str(workers), "--bind", "127.0.0.1:%d" % port,
            "--user", user, "--group", group, "--chdir", str(chdir or deployed.python / "examples"),
            "--error-logfile", "-", "--graceful-timeout", "5", app],
            "gunicorn.out", dict(os.environ, PYTHONDONTWRITEBYTECODE="1", CMPAY_LIB=str(deployed.lib), **env), master=True)


class Jetty(OneProcessServer):
    """bindings/java's WAR (build-war.sh) as the root web application of
    Debian's Jetty 9 (with its JSP engine), run as worker_user() (as Debian's
    jetty9 service runs as its own user) from a jetty.base in a temporary
    directory that user owns; settings as system properties."""

    HOME = Path("/usr/share/jetty9")
    WAR = REPO / "bindings" / "java" / "build" / "cmpay-notify.war"

    def __init__(self, props: Dict[str, str], war: Optional[Path] = None) -> None:
        deployed = Deployment.get()
        self.run = run_dir("jetty")
        (self.run / "webapps").mkdir()
        shutil.copy(war or self.WAR, self.run / "webapps" / "ROOT.war")
        (self.run / "webapps" / "ROOT.war").chmod(0o644)
        self.work = run_dir("jetty-work", workers_write=True)  # the unpacked WAR, compiled JSPs, native libraries

        def args(port: int) -> List[str]:
            a = ["java", "-Xmx256m", "-Djava.io.tmpdir=%s" % self.work, "-Djetty.home=%s" % self.HOME, "-Djetty.base=%s" % self.run]
            a += ["-D%s=%s" % kv for kv in sorted(props.items())]
            return a + ["-jar", str(self.HOME / "start.jar"), "--module=http,deploy,jsp",
                        "jetty.http.host=127.0.0.1", "jetty.http.port=%d" % port]
        self._start("Jetty", args, "jetty.out", dict(os.environ, CMPAY_LIB=str(deployed.lib)),
                    cwd=self.run, timeout=60)

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.work, ignore_errors=True)


class Tomcat(OneProcessServer):
    """bindings/java's jakarta WAR (build-war.sh) as the root web application
    of Debian's Tomcat 10.1 (tomcat10-common, with Jasper), in its own
    CATALINA_BASE in a temporary directory, as operations run several
    instances: made by Debian's tomcat10-instance-create (tomcat10-user), with
    examples/deploy/tomcat10's server.xml (loopback, a free port, no shutdown
    port) and ROOT.xml (the WAR and the shop's settings), the binding, JNA and
    the JDBC drivers in its lib/ (build-war.sh's build/tomcat-lib), run in the
    foreground (catalina.sh run) as worker_user() and stopped with SIGTERM.
    As in Debian's own tomcat10 service: conf/ readable by that user, only
    logs/, work/, temp/ and webapps/ writable by it. Debian's tomcat10 service
    package is not installed: nothing listens on 8080."""

    HOME = Path("/usr/share/tomcat10")
    WAR = REPO / "bindings" / "java" / "build" / "cmpay-notify-jakarta.war"
    LIB = REPO / "bindings" / "java" / "build" / "tomcat-lib"
    DEPLOY = REPO / "bindings" / "java" / "examples" / "deploy" / "tomcat10"

    def __init__(self, params: Dict[str, str], threads: int = 8) -> None:
        deployed = Deployment.get()
        self.run = run_dir("tomcat")
        base = self.run / "base"
        subprocess.run(["tomcat10-instance-create", "-p", str(free_port()), "-c", str(free_port()), str(base)],
                       check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.war = war = self.run / "cmpay-notify-jakarta.war"
        shutil.copy(self.WAR, war)
        war.chmod(0o644)
        # The jars with native parts in the instance's own lib/ (Tomcat's common class loader), not in the WAR.
        (base / "lib").mkdir()
        for jar in sorted(self.LIB.glob("*.jar")):
            shutil.copy(jar, base / "lib")
        apps = base / "conf" / "Catalina" / "localhost"
        apps.mkdir(parents=True)
        _publish(base / "conf")
        root_xml = render(self.DEPLOY / "ROOT.xml", apps / "ROOT.xml", WAR=war,
                          **{k: xml_escape(v, {'"': "&quot;"}) for k, v in params.items()})
        # The signKey: readable by Tomcat's user only (root:tomcat 0640 in Debian's service).
        os.chown(root_xml, -1, worker_ids()[1])
        root_xml.chmod(0o640)
        for d in ("logs", "work", "temp", "webapps"):
            give_to_worker(base / d)

        def args(port: int) -> List[str]:
            server_xml = render(self.DEPLOY / "server.xml", base / "conf" / "server.xml", ADDRESS="127.0.0.1", PORT=port,
                                THREADS=threads)
            server_xml.chmod(0o644)
            return [str(self.HOME / "bin" / "catalina.sh"), "run"]
        env = dict(os.environ, CATALINA_BASE=str(base), CATALINA_OPTS="-Xmx256m", CMPAY_LIB=str(deployed.lib))
        env.pop("JAVA_OPTS", None)
        self._start("Tomcat", args, "catalina.out", env, cwd=self.run, timeout=60)

    def logs(self) -> str:
        return "\n".join("== %s\n%s" % (p.name, p.read_text(errors="replace")[-4000:])
                         for p in [self.log] + sorted((self.run / "base" / "logs").glob("*")))


class SpringBoot(OneProcessServer):
    """bindings/java/spring-boot-starter's example shop (example/, on the
    starter) as a Spring Boot application on its embedded Tomcat, deployed as
    a classpath: the starter's and the example's classes and every jar
    (``build`` holds what spring_boot_build() made), run as worker_user()
    with the example's application.properties in its working directory,
    overridden by ``env`` (CMPAY_* variables and Spring's own, as a systemd
    unit's Environment= would set them)."""

    STARTER = REPO / "bindings" / "java" / "spring-boot-starter"

    def __init__(self, env: Dict[str, str]) -> None:
        deployed = Deployment.get()
        self.run = run_dir("spring-boot")
        target = self.STARTER / "target"
        for part in ("classes", "test-classes", "example-lib"):
            shutil.copytree(target / part, self.run / part)
        shutil.copy(self.STARTER / "example" / "application.properties", self.run)
        _publish(self.run)
        self.work = run_dir("spring-boot-work", workers_write=True)  # JNA's and Tomcat's scratch files

        def args(port: int) -> List[str]:
            return ["java", "-Xmx256m", "-Djava.io.tmpdir=%s" % self.work, "-cp",
                    "classes:test-classes:example-lib/*", "io.cmpay.examples.spring.ShopApplication",
                    "--server.port=%d" % port]
        self._start("Spring Boot", args, "spring.out", dict(os.environ, CMPAY_LIB=str(deployed.lib), **env),
                    cwd=self.run, timeout=90)

    def stop(self) -> None:
        super().stop()
        shutil.rmtree(self.work, ignore_errors=True)


class MonoFastCgiNginx:
    """bindings/dotnet's Notify.ashx and Return.ashx as an ASP.NET site (web.config,
    bin/) served by Mono's fastcgi-mono-server4 behind nginx, from the documented
    configs in examples/ and examples/deploy: nginx's master starts as the
    invoking user, its workers and fastcgi-mono-server4 run as worker_user()."""

    EXAMPLES = REPO / "bindings" / "dotnet" / "examples"
    BUILD = REPO / "bindings" / "dotnet" / "build"
    notify_path, return_path = "Notify.ashx", "Return.ashx"

    def __init__(self, values: Dict[str, str], env: Optional[Dict[str, str]] = None, nginx_conf: Optional[Path] = None,
                 handlers: Sequence[Path] = (), dlls: Sequence[str] = (), example: Optional[Path] = None) -> None:
        """``handlers`` (.ashx) and ``dlls`` (of build/) are added to the site, ``nginx_conf``
        replaces the documented one (the benchmark's); ``example``: the folder of the site's
        web.config, Notify.ashx and Return.ashx (default examples/, the handlers by hand;
        examples/handler-base, on Cmpay.Web)."""
        deployed = Deployment.get()
        example = example or self.EXAMPLES
        self.run = run_dir("mono")
        self.site = self.run / "site"
        (self.site / "bin").mkdir(parents=True)
        for ashx in [example / "Notify.ashx", example / "Return.ashx", *handlers]:
            shutil.copy(ashx, self.site)
        render(example / "web.config", self.site / "web.config", **values)
        for dll in ("Cmpay.dll", "Cmpay.Examples.dll", *dlls):
            shutil.copy(self.BUILD / dll, self.site / "bin")
        _publish(self.site)
        user, group = worker_user()
        # The signKey in web.config: readable by the site's user only, as on an IIS server.
        os.chown(self.site / "web.config", -1, worker_ids()[1])
        (self.site / "web.config").chmod(0o640)
        self.work = run_dir("mono-work", workers_write=True)  # Mono's shared files, compiled pages
        self.procs: List[Proc] = []
        last = ""
        for _ in range(5):
            fcgi_port, self.port = free_port(), free_port()
            render(nginx_conf or self.EXAMPLES / "deploy" / "nginx-mono.conf", self.run / "nginx.conf", RUN=self.run, USER=user, GROUP=group,
                   LISTEN="127.0.0.1:%d" % self.port, SITE=self.site, FASTCGI="127.0.0.1:%d" % fcgi_port)
            mono = Proc(["fastcgi-mono-server4", "--applications=/:%s" % self.site, "--socket=tcp:127.0.0.1:%d" % fcgi_port,
                         "--printlog", "--loglevels=Standard"], self.run / "mono.out",
                        env=dict(os.environ, CMPAY_LIB=str(deployed.lib), MONO_SHARED_DIR=str(self.work), HOME=str(self.work),
                                 TMPDIR=str(self.work), **(env or {})), cwd=self.work)
            try:
                wait_port(fcgi_port, mono.proc, self.run / "mono.out", timeout=60)
                self.procs.append(mono)
                ngx = Proc(["nginx", "-p", str(self.run), "-e", str(self.run / "error.log"), "-c", str(self.run / "nginx.conf")],
                           self.run / "nginx.out", master=True)
                self.procs.append(ngx)
                wait_port(self.port, ngx.proc, self.run / "nginx.out")
                self.url = "http://127.0.0.1:%d/" % self.port
            except RuntimeError as e:
                last = str(e)
                for p in reversed(self.procs):
                    p.stop()
                self.procs = []
                continue
            self._warm([self.notify_path, self.return_path, *(h.name for h in handlers)])
            return
        raise RuntimeError("nginx + fastcgi-mono-server4 did not start: " + last)

    def _warm(self, handlers: List[str]) -> None:
        """As after a deployment (README): each handler's first request, one at a
        time (an empty POST: refused, or 500 while the shop's database is down).
        fastcgi-mono-server4 compiles a handler on its first request, and two
        first requests at once can hang it: seen when the gateway's
        OfflineNotify and the shopper's PageNotify reached a fresh site together."""
        for ashx in handlers:
            http("POST", self.url + ashx, b"")

    def workers(self) -> Dict[int, Tuple[str, Tuple[int, ...]]]:
        return {pid: w for p in self.procs for pid, w in p.workers().items()}

    def logs(self) -> str:
        return "\n".join("== %s\n%s" % (p.name, p.read_text(errors="replace")[-4000:]) for p in sorted(self.run.glob("*.out")) + sorted(self.run.glob("*.log")))

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.stop(signal.SIGQUIT if p.args[0] == "nginx" else signal.SIGTERM)
        self.procs = []
        shutil.rmtree(self.run, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)


def deploy_tree(src: Path, prefix: str) -> Path:
    """A copy of a test application's tree (tests/servers/django_shop, ...),
    readable by all, writable by none, as the other deployments."""
    d = run_dir(prefix)
    shutil.copytree(src, d / "app", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _publish(d)
    return d / "app"


class DjangoShop(Gunicorn):
    """tests/servers/django_shop (a Django project with cmpay.django installed)
    under gunicorn, as deployed: the package from the deployment's
    bindings/python, the project from a copy (``app``)."""

    def __init__(self, app: Path, env: Dict[str, str]) -> None:
        deployed = Deployment.get()
        super().__init__("shopsite.wsgi:application", dict(env, PYTHONPATH=str(deployed.python)), chdir=app)


class LaravelShop(OneProcessServer):
    """tests/servers/laravel_shop (a Laravel application booted by Debian's
    php-laravel-framework from /usr/share/php, with the binding's
    Cmpay\\Laravel\\CmpayServiceProvider) from a copy (``app``), served by PHP's
    built-in server on loopback with FFI enabled, run as worker_user(); its
    storage/ (logs, the framework's caches) writable by that user."""

    def __init__(self, app: Path, env: Dict[str, str]) -> None:
        deployed = Deployment.get()
        self.run = run_dir("laravel", workers_write=True)
        storage = self.run / "storage"
        for sub in ("logs", "framework/cache", "framework/views", "framework/sessions"):
            (storage / sub).mkdir(parents=True)
        give_to_worker(storage)
        full = dict(os.environ, CMPAY_LIB=str(deployed.lib), CMPAY_PHP=str(deployed.php), LARAVEL_STORAGE=str(storage),
                    PHP_CLI_SERVER_WORKERS="2", **env)
        self._start("php -S (Laravel)", lambda port: [
            "php", "-d", "ffi.enable=1", "-S", "127.0.0.1:%d" % port,
            "-t", str(app / "public"), str(app / "public" / "index.php")], "php-server.out", full, cwd=app)

    def logs(self) -> str:
        laravel = self.run / "storage" / "logs" / "laravel.log"
        return super().logs() + ("\n== laravel.log\n" + laravel.read_text(errors="replace")[-4000:] if laravel.exists() else "")
