<?php

declare(strict_types=1);

namespace Cmpay;

use Cmpay\Exception\AmbiguousException;
use Cmpay\Exception\CmpayException;
use Cmpay\Exception\FieldException;
use Cmpay\Exception\ForgeableSourceException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\InternalException;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\InvalidKeyException;
use Cmpay\Exception\LibraryNotFoundException;
use Cmpay\Exception\NetworkException;
use Cmpay\Exception\NetworkTimeoutException;
use Cmpay\Exception\NotConfirmedException;
use Cmpay\Exception\NotFoundException;
use Cmpay\Exception\ParseException;
use Cmpay\Exception\SignatureException;
use Cmpay\Exception\TlsException;
use FFI;
use FFI\CData;

/**
 * The one FFI object of the process, and the one place a status becomes an
 * exception. No protocol logic: only loading, marshalling and error mapping.
 *
 * Where the library is looked for, in order (the first that loads wins):
 *  1. the path given to Library::load($path) (the explicit option);
 *  2. the FFI scope "CMPAY", when php.ini sets ffi.preload (see ffi-header.php);
 *  3. the CMPAY_LIB environment variable (a path to the file);
 *  4. inside the package: <package>/lib/<platform>/libcmpay.so, where the
 *     Composer archive of `make dist` puts it (platform e.g. linux-x86_64,
 *     see platform()), then <package>/libcmpay.so (.dylib, cmpay.dll);
 *  5. the source tree the package sits in: target/release, then target/debug
 *     of the nearest directory above with a Cargo.toml;
 *  6. the system's search path (LD_LIBRARY_PATH, /etc/ld.so.conf: /usr/local/lib, /usr/lib).
 * An explicit path or CMPAY_LIB that cannot be loaded is an error at once.
 *
 * Public API: load(), loadedPath(), fileName(), platform(), candidates() and the
 * constants. Everything marked @internal (the FFI object, check(), the
 * marshalling helpers) is for this package's classes only and may change in
 * any version.
 */
final class Library
{
    public const ENV_VAR = 'CMPAY_LIB';
    public const SCOPE = 'CMPAY';

    /** @var FFI|null */
    private static $ffi = null;
    /** @var string|null */
    private static $path = null;

    private const ERRORS = [
        Status::INVALID_ARGUMENT => InvalidInputException::class,
        Status::FIELD_INVALID => FieldException::class,
        Status::KEY => InvalidKeyException::class,
        Status::SIGNATURE_MISMATCH => SignatureException::class,
        Status::PARSE => ParseException::class,
        Status::GATEWAY => GatewayException::class,
        Status::TRANSPORT => NetworkException::class,
        Status::TIMEOUT => NetworkTimeoutException::class,
        Status::TLS => TlsException::class,
        Status::AMBIGUOUS => AmbiguousException::class,
        Status::NOT_CONFIRMED => NotConfirmedException::class,
        Status::FORGEABLE_SOURCE => ForgeableSourceException::class,
        Status::NULL_POINTER => InvalidInputException::class,
        Status::INVALID_UTF8 => InvalidInputException::class,
        Status::PANIC => InternalException::class,
        Status::NOT_FOUND => NotFoundException::class,
        Status::BUFFER_TOO_SMALL => InvalidInputException::class,
    ];

    private function __construct()
    {
    }

    /**
     * Loads the library (once per process) and returns the FFI object.
     * Give $path before any other use to choose the file explicitly.
     */
    public static function load(?string $path = null): FFI
    {
        if (self::$ffi !== null) {
            if ($path !== null && realpath($path) !== realpath((string) self::$path)) {
                throw new LibraryNotFoundException(sprintf(
                    'libcmpay is already loaded from %s; Library::load(%s) must come before any other use',
                    (string) self::$path,
                    $path
                ));
            }
            return self::$ffi;
        }
        if (!extension_loaded('ffi')) {
            throw new LibraryNotFoundException('the PHP FFI extension is not loaded (install/enable ext-ffi; see README.md)');
        }
        $tried = [];
        foreach (self::candidates($path) as [$where, $candidate, $must]) {
            if ($candidate === null) { // the preloaded scope
                try {
                    return self::scope();
                } catch (\FFI\Exception $e) {
                    $tried[] = sprintf('%s: FFI scope %s (%s)', $where, self::SCOPE, $e->getMessage());
                    continue;
                }
            }
            $bare = strpos($candidate, '/') === false && strpos($candidate, '\\') === false;
            if (!$bare && !is_file($candidate)) {
                $tried[] = sprintf('%s: %s (no such file)', $where, $candidate);
                if ($must) {
                    break;
                }
                continue;
            }
            try {
                self::$ffi = FFI::cdef(self::declarations(), $candidate);
                self::$path = $candidate;
                return self::$ffi;
            } catch (\FFI\Exception $e) {
                $tried[] = sprintf('%s: %s (%s)', $where, $candidate, $e->getMessage());
                if ($must) {
                    break;
                }
            }
        }
        $restricted = self::ffiRestricted();
        foreach ($tried as $line) {
            if (strpos($line, 'restricted by "ffi.enable"') !== false) {
                $restricted = true;
            }
        }
        $library = sprintf(
            "cannot load the cmpay shared library (%s). Tried:\n  %s\n%s",
            self::fileName(),
            implode("\n  ", $tried),
            self::advice(dirname(__DIR__))
        );
        if ($restricted) {
            throw new LibraryNotFoundException(sprintf(
                'PHP FFI is disabled here (ffi.enable=%s, SAPI %s): FFI::cdef is refused whatever the library path. '
                . 'Enable it: ffi.enable=true in php.ini (php-fpm: php_admin_value[ffi.enable] = true in the pool), '
                . 'or keep ffi.enable=preload and load libcmpay at server start with ffi.preload=/path/to/cmpay-ffi.h '
                . "(and opcache.preload=.../bindings/php/preload.php); see README.md. Then, the library path:\n%s",
                var_export((string) ini_get('ffi.enable'), true),
                PHP_SAPI,
                $library
            ));
        }
        throw new LibraryNotFoundException($library
            . ' Outside the CLI, FFI also needs ffi.enable=true, or ffi.enable=preload with ffi.preload (README.md).');
    }

    /**
     * What to do when no library loads, for a package at $package: in a
     * source checkout, build it; in the Composer archive, the platforms its
     * lib/ carries (read from the archive itself) and CMPAY_LIB for any other.
     */
    public static function advice(string $package): string
    {
        for ($dir = $package; ; $dir = dirname($dir)) {
            if (is_file($dir . '/Cargo.toml')) {
                return sprintf("Build it with `cargo build --release` at the top of the repository, or set %s to the file's path.", self::ENV_VAR);
            }
            if (dirname($dir) === $dir) {
                break;
            }
        }
        $carried = [];
        foreach (glob($package . '/lib/*/*cmpay.*') ?: [] as $file) {
            $carried[] = basename(dirname($file)) . '/' . basename($file);
        }
        sort($carried);
        return sprintf(
            "This PHP is %s (%d-bit); the package's lib/ carries %s. On another platform set %s to the full path of a %s built for it, or call Cmpay\\Library::load(\$path) first.",
            self::platform(),
            PHP_INT_SIZE * 8,
            $carried === [] ? 'no library' : implode(', ', $carried),
            self::ENV_VAR,
            self::fileName()
        );
    }

    /**
     * Whether this PHP's ffi.enable refuses FFI::cdef: off, or "preload"
     * outside the CLI (where only the ffi.preload scope is usable).
     */
    private static function ffiRestricted(): bool
    {
        $enable = strtolower(trim((string) ini_get('ffi.enable')));
        if ($enable === 'preload') {
            return PHP_SAPI !== 'cli' && PHP_SAPI !== 'phpdbg' && PHP_SAPI !== 'embed';
        }
        return !in_array($enable, ['1', 'true', 'on', 'yes'], true);
    }

    /**
     * The FFI object, loading the library on first use.
     *
     * @internal
     */
    public static function ffi(): FFI
    {
        if (self::$ffi !== null) {
            return self::$ffi;
        }
        // PHP-FPM starts every request with fresh statics, so this runs once
        // a request: with ffi.preload, take the scope at once rather than
        // through load()'s search (a few µs a request; BENCHMARKS.md).
        if ((string) ini_get('ffi.preload') !== '') {
            try {
                return self::scope();
            } catch (\FFI\Exception $e) {
                // load() tries it again and reports it with every other place.
            }
        }
        return self::load();
    }

    /** Takes the FFI scope that ffi.preload made (\FFI\Exception when there is none). */
    private static function scope(): FFI
    {
        self::$ffi = FFI::scope(self::SCOPE);
        self::$path = 'FFI scope ' . self::SCOPE;
        return self::$ffi;
    }

    /** Where the loaded library came from, or null before loading. */
    public static function loadedPath(): ?string
    {
        return self::$path;
    }

    /** The library's file name on this OS (see fileNameFor()). */
    public static function fileName(): string
    {
        return self::fileNameFor(PHP_OS_FAMILY);
    }

    /**
     * The library's file name on an OS family (a PHP_OS_FAMILY value):
     * cmpay.dll on Windows, libcmpay.dylib on Darwin, libcmpay.so elsewhere.
     */
    public static function fileNameFor(string $osFamily): string
    {
        if ($osFamily === 'Windows') {
            return 'cmpay.dll';
        }
        if ($osFamily === 'Darwin') {
            return 'libcmpay.dylib';
        }
        return 'libcmpay.so';
    }

    /**
     * The directory name under <package>/lib/ for this process (see
     * platformFor()): linux-x86_64, linux-aarch64, windows-x86_64, windows-x86.
     */
    public static function platform(): string
    {
        return self::platformFor(PHP_OS_FAMILY, php_uname('m'), PHP_INT_SIZE);
    }

    /**
     * The directory name under <package>/lib/ for an OS family (PHP_OS_FAMILY),
     * a machine name (php_uname('m'): x86_64, aarch64, AMD64, i386, ...) and the
     * process's integer size in bytes (PHP_INT_SIZE): what the Composer archive
     * of `make dist` names them, linux-x86_64, linux-aarch64, windows-x86_64,
     * windows-x86 (darwin-* is not packaged). The bitness decides where the
     * machine cannot: a 32-bit PHP loads only a 32-bit library, also on a
     * 64-bit Windows (whose php_uname('m') still says AMD64).
     */
    public static function platformFor(string $osFamily, string $machine, int $intSize): string
    {
        $machine = strtolower($machine);
        $cpu = [
            'amd64' => 'x86_64', 'x64' => 'x86_64', 'x86-64' => 'x86_64',
            'arm64' => 'aarch64', 'armv8' => 'aarch64',
            'i386' => 'x86', 'i486' => 'x86', 'i586' => 'x86', 'i686' => 'x86', 'x86' => 'x86',
        ][$machine] ?? $machine;
        if ($intSize === 4) {
            if ($cpu === 'x86_64') {
                $cpu = 'x86';
            } elseif ($cpu === 'aarch64') {
                $cpu = 'arm';
            }
        }
        return strtolower($osFamily) . '-' . $cpu;
    }

    /** The C declarations PHP loads (resources/cmpay.h). */
    public static function declarations(): string
    {
        $text = file_get_contents(self::headerPath());
        if ($text === false) {
            throw new LibraryNotFoundException('cannot read ' . self::headerPath());
        }
        return $text;
    }

    public static function headerPath(): string
    {
        return dirname(__DIR__) . '/resources/cmpay.h';
    }

    /**
     * The places looked at, in order, as [where, path, must-load].
     * A null path stands for the preloaded FFI scope.
     *
     * @return array<int, array{0: string, 1: ?string, 2: bool}>
     */
    public static function candidates(?string $explicit = null): array
    {
        if ($explicit !== null) {
            return [['explicit path', $explicit, true]];
        }
        $out = [];
        if ((string) ini_get('ffi.preload') !== '') {
            $out[] = ['preloaded scope', null, false];
        }
        $env = getenv(self::ENV_VAR);
        if (is_string($env) && $env !== '') {
            $out[] = ['$' . self::ENV_VAR, $env, true];
            return $out;
        }
        $name = self::fileName();
        $package = dirname(__DIR__);
        $out[] = ['inside the package', $package . '/lib/' . self::platform() . '/' . $name, false];
        $out[] = ['next to the package', $package . '/' . $name, false];
        for ($dir = $package; ; $dir = dirname($dir)) {
            if (is_file($dir . '/Cargo.toml')) {
                $out[] = ['source tree (release)', $dir . '/target/release/' . $name, false];
                $out[] = ['source tree (debug)', $dir . '/target/debug/' . $name, false];
                break;
            }
            if (dirname($dir) === $dir) {
                break;
            }
        }
        $out[] = ['system search path', $name, false];
        return $out;
    }

    // ------------------------------------------------------------ marshalling

    /**
     * The one place a status becomes an exception (thread-local last error read at once).
     *
     * @internal
     */
    public static function check(int $status): void
    {
        if ($status === Status::OK) {
            return;
        }
        throw self::error($status);
    }

    /** @internal */
    public static function error(int $status): CmpayException
    {
        $ffi = self::ffi();
        $message = self::cstring($ffi->cmpay_last_error());
        $returnCode = self::cstring($ffi->cmpay_last_error_return_code());
        $field = self::cstring($ffi->cmpay_last_error_field());
        $name = self::cstring($ffi->cmpay_status_name($status));
        if ($name === '') {
            $name = 'CMPAY_STATUS_' . $status;
        }
        $class = self::ERRORS[$status] ?? InternalException::class;
        return new $class($message !== '' ? $message : $name, $status, $name, $returnCode, $field);
    }

    /**
     * A borrowed `const char *` result as a PHP string (PHP's FFI already
     * converts `const char *` returns; this also accepts a CData pointer).
     *
     * @internal
     * @param string|CData|null $value
     */
    public static function cstring($value): string
    {
        if ($value === null) {
            return '';
        }
        if (is_string($value)) {
            return $value;
        }
        return FFI::isNull($value) ? '' : FFI::string($value);
    }

    /**
     * A fresh `char *` cell for an owned string out-parameter.
     *
     * @internal
     */
    public static function outString(): CData
    {
        return self::ffi()->new('char *');
    }

    /**
     * One field of a handle through its `cmpay_<noun>_field` function; null
     * when the library says CMPAY_NOT_FOUND.
     *
     * @internal
     */
    public static function handleField(string $function, CData $handle, string $name): ?string
    {
        $ffi = self::ffi();
        $out = $ffi->new('char *');
        $status = $ffi->$function($handle, self::text($name, 'name'), FFI::addr($out));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        self::check($status);
        return self::takeString($out);
    }

    /** @var CData|null the buffer the *_fields_into functions write into (grown as needed) */
    private static $fieldsBuf = null;
    /** @var int */
    private static $fieldsBufLen = 0;

    /**
     * Every field of a handle, in the order received, through its
     * `cmpay_<noun>_fields_into` function: NUL pairs into one buffer the
     * process keeps (one crossing; two when it must grow).
     *
     * @internal
     * @return array<string, string>
     */
    public static function handleFields(string $function, CData $handle): array
    {
        $ffi = self::ffi();
        $needed = $ffi->new('size_t');
        for ($try = 0; $try < 2; $try++) {
            if (self::$fieldsBuf === null || self::$fieldsBufLen < (int) $needed->cdata) {
                self::$fieldsBufLen = max(4096, (int) $needed->cdata);
                self::$fieldsBuf = $ffi->new('char[' . self::$fieldsBufLen . ']', false);
            }
            $status = $ffi->$function($handle, self::$fieldsBuf, self::$fieldsBufLen, FFI::addr($needed));
            if ($status !== Status::BUFFER_TOO_SMALL) {
                break;
            }
        }
        self::check($status);
        return self::splitPairs(FFI::string(self::$fieldsBuf, (int) $needed->cdata));
    }

    /**
     * Copies an owned string the library returned, then frees it with cmpay_string_free.
     *
     * @internal
     */
    public static function takeString(CData $cell): string
    {
        if (FFI::isNull($cell)) {
            return '';
        }
        try {
            return FFI::string($cell);
        } finally {
            self::ffi()->cmpay_string_free($cell);
        }
    }

    /**
     * Text for a `const char *` argument: refused if it would be altered on
     * the way (an embedded NUL byte would cut it short).
     *
     * @internal
     * @param mixed $value
     */
    public static function text($value, string $what = 'argument'): string
    {
        if (is_int($value)) {
            return (string) $value;
        }
        if (!is_string($value)) {
            throw new InvalidInputException(sprintf('%s must be a string, not %s', $what, gettype($value)), Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
        }
        if (strpos($value, "\0") !== false) {
            throw new InvalidInputException($what . ' contains a NUL byte', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
        }
        return $value;
    }

    /**
     * A non-negative amount in fen for a uint64_t argument.
     *
     * @internal
     */
    public static function fen(int $amount, string $what = 'amount'): int
    {
        if ($amount < 0) {
            throw new InvalidInputException($what . ' must be a non-negative integer number of fen', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
        }
        return $amount;
    }

    /**
     * A verified answer's date field (orderDate YYYYMMDD, payDate
     * YYYYMMDDHHmmss) in the gateway's time zone, Asia/Shanghai; null when
     * absent or empty.
     *
     * @internal
     */
    public static function date(?string $value, string $name): ?\DateTimeImmutable
    {
        if ($value === null || $value === '') {
            return null;
        }
        $format = strlen($value) === 8 ? '!Ymd' : '!YmdHis';
        $date = \DateTimeImmutable::createFromFormat($format, $value, new \DateTimeZone('Asia/Shanghai'));
        $errors = \DateTimeImmutable::getLastErrors();
        if ($date === false || (is_array($errors) && ($errors['warning_count'] > 0 || $errors['error_count'] > 0))
            || $date->format(substr($format, 1)) !== $value) {
            throw new ParseException(sprintf('%s %s is not a date', $name, var_export($value, true)), Status::PARSE, 'CMPAY_PARSE');
        }
        return $date;
    }

    /**
     * Bulk parameters cross the ABI as NUL pairs ("name\0value\0...", UTF-8,
     * every name and value followed by one NUL, no escaping). Marshalling
     * only: the library decides fields, order, charset and signature. A NUL
     * inside a name or value cannot cross: refused, never cut.
     *
     * @internal
     * @param array<string, string|int> $params
     */
    public static function pairs(array $params): string
    {
        $parts = [];
        foreach ($params as $name => $value) {
            if (!is_string($name) || $name === '') {
                throw new InvalidInputException('parameter names must be non-empty strings', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
            }
            if (!is_string($value) && !is_int($value)) {
                throw new InvalidInputException(sprintf('parameter %s must be a string or int, not %s', $name, gettype($value)), Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
            }
            $value = (string) $value;
            if (strpos($name . $value, "\0") !== false) {
                throw new InvalidInputException(sprintf('parameter %s holds a NUL byte, which no field may hold', str_replace("\0", '\\0', $name)), Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
            }
            $parts[] = $name;
            $parts[] = $value;
        }
        return $parts === [] ? '' : implode("\0", $parts) . "\0";
    }

    /**
     * NUL pairs from the library as an ordered array (never parse_str, which
     * renames "a.b" and "a[b]").
     *
     * @internal
     * @return array<string, string>
     */
    public static function splitPairs(string $pairs): array
    {
        $out = [];
        $parts = explode("\0", $pairs);
        for ($i = 0; $i + 1 < count($parts); $i += 2) {
            $out[$parts[$i]] = $parts[$i + 1];
        }
        return $out;
    }
}
