<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Cmpay;
use Cmpay\Exception\LibraryNotFoundException;
use Cmpay\MessageKind;
use Cmpay\Library;
use Cmpay\ReturnCode;
use FFI;
use PHPUnit\Framework\TestCase;

/** The C ABI surface: declarations agree with the header, loading, codes. */
final class LibraryTest extends TestCase
{
    /** @return array<string, array{0: string, 1: string[]}> name => [return type, parameter types] */
    private static function functions(string $text): array
    {
        $text = (string) preg_replace('~/\*.*?\*/~s', '', $text);
        $text = (string) preg_replace('~//[^\n]*~', '', $text);
        preg_match_all('~([A-Za-z_][\w \*]*?)\b(cmpay_\w+)\s*\(([^)]*)\)\s*;~', $text, $m, PREG_SET_ORDER);
        $out = [];
        foreach ($m as [, $ret, $name, $args]) {
            $params = [];
            $args = trim($args);
            if ($args !== '' && $args !== 'void') {
                foreach (explode(',', $args) as $arg) {
                    $params[] = self::typeOf($arg);
                }
            }
            $out[$name] = [self::normalise($ret), $params];
        }
        return $out;
    }

    /** A parameter's type without its name, spaced uniformly. */
    private static function typeOf(string $decl): string
    {
        $decl = self::normalise($decl);
        return (string) preg_replace('~\s*\b\w+$~', '', $decl) ?: $decl;
    }

    private static function normalise(string $decl): string
    {
        $decl = trim((string) preg_replace('~\s+~', ' ', $decl));
        $decl = str_replace('struct ', '', $decl);
        $decl = (string) preg_replace('~\s*\*\s*~', ' *', $decl);
        $decl = str_replace('* *', '**', $decl);
        // The PHP copy passes byte buffers as const char * (same pointer at the ABI level).
        return str_replace('const uint8_t *', 'const char *', $decl);
    }

    public function testDeclarationsMatchTheHeader(): void
    {
        $header = Support::repo() . '/crates/cmpay-ffi/include/cmpay.h';
        if (!is_file($header)) {
            $this->markTestSkipped('crates/cmpay-ffi/include/cmpay.h not generated');
        }
        $c = self::functions((string) file_get_contents($header));
        $php = self::functions(Library::declarations());
        $this->assertNotEmpty($c);
        $this->assertSame(array_keys($this->sorted($c)), array_keys($this->sorted($php)), 'function sets differ');
        foreach ($c as $name => $sig) {
            $this->assertSame($sig, $php[$name], $name);
        }
    }

    /**
     * @param array<string, mixed> $a
     * @return array<string, mixed>
     */
    private function sorted(array $a): array
    {
        ksort($a);
        return $a;
    }

    public function testHeaderEnumAndStructMatch(): void
    {
        $header = Support::repo() . '/crates/cmpay-ffi/include/cmpay.h';
        if (!is_file($header)) {
            $this->markTestSkipped('crates/cmpay-ffi/include/cmpay.h not generated');
        }
        $text = (string) file_get_contents($header);
        foreach ((new \ReflectionClass(\Cmpay\Status::class))->getConstants() as $name => $value) {
            $this->assertMatchesRegularExpression('~\bCMPAY_' . $name . '\s*=\s*' . $value . '\b~', $text, $name);
        }
        $this->assertSame(40, FFI::sizeof(Library::ffi()->type('cmpay_amt_item')));
    }

    public function testTheHeaderItselfLoadsOnceCleaned(): void
    {
        // The committed header, stripped of preprocessor lines and extern "C", is accepted by PHP's FFI parser.
        $header = Support::repo() . '/crates/cmpay-ffi/include/cmpay.h';
        if (!is_file($header)) {
            $this->markTestSkipped('crates/cmpay-ffi/include/cmpay.h not generated');
        }
        $text = (string) preg_replace('~^\s*#.*$~m', '', (string) file_get_contents($header));
        $text = (string) preg_replace('~extern\s+"C"\s*\{|^\s*\}\s*(//.*)?$~m', '', $text);
        $ffi = FFI::cdef($text, (string) Library::loadedPath() === 'FFI scope CMPAY' ? null : Library::loadedPath());
        $this->assertIsString($ffi->cmpay_version());
    }

    public function testEveryExportedSymbolIsDeclared(): void
    {
        $path = Library::loadedPath();
        $this->assertNotNull($path);
        exec('nm -D --defined-only ' . escapeshellarg((string) $path) . ' 2>/dev/null', $lines, $rc);
        if ($rc !== 0) {
            $this->markTestSkipped('nm not available');
        }
        $exported = [];
        foreach ($lines as $line) {
            if (preg_match('~ T (cmpay_\w+)$~', $line, $m)) {
                $exported[] = $m[1];
            }
        }
        sort($exported);
        $declared = array_keys(self::functions(Library::declarations()));
        sort($declared);
        $this->assertSame($exported, $declared);
    }

    public function testGwDirectPayIsABrowserForm(): void
    {
        $m = Support::merchant();
        $params = ['type' => 'GWDirectPay'] + Support::vector('order-request-md5-charset00')['params'];
        unset($params['bankAbbr']);
        try {
            $m->signOrder($params);
            $this->fail('GWDirectPay without bankAbbr was signed');
        } catch (\Cmpay\Exception\FieldException $e) {
            $this->assertSame('bankAbbr', $e->getField());
        }
        $signed = $m->signOrder(['bankAbbr' => 'CMB'] + $params);
        $page = $signed->htmlForm('https://ipos.10086.cn/ips/cmpayService');
        $this->assertStringContainsString('<form method="post" action="https://ipos.10086.cn/ips/cmpayService" accept-charset="GBK">', $page);
        $this->assertStringContainsString('name="hmac" value="' . $signed->hmac() . '"', $page);
        $this->assertStringContainsString('name="type" value="GWDirectPay"', $page);
        $this->assertStringContainsString('<html lang="zh-CN">', $page);
        $this->expectException(\Cmpay\Exception\InvalidInputException::class);
        $signed->htmlForm('javascript:alert(1)');
    }

    public function testVersion(): void
    {
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', Cmpay::version());
    }

    public function testCodes(): void
    {
        $rc = ReturnCode::lookup('RPM22201');
        $this->assertNotNull($rc);
        $this->assertSame('RPM22201', $rc->code);
        $this->assertSame('订单不存在', $rc->chinese);
        $this->assertStringContainsString('not exist', $rc->english);
        $this->assertEquals(Cmpay::returnCode('MCG01088'), Cmpay::returnCode('C01088'));
        $this->assertNull(Cmpay::returnCode('NOPE0000'));
        $this->assertSame('工商银行', Cmpay::bankName('ICBC'));
        $this->assertSame('招商银行', Cmpay::bankName('CMB'));
        $this->assertNull(Cmpay::bankName('NOPE'));
        $this->assertSame(['0.00', '0.05', '128.00', '92233720368547758.07'], array_map([Cmpay::class, 'yuan'], [0, 5, 12800, PHP_INT_MAX]));
        try {
            Cmpay::yuan(-1);
            $this->fail('a negative amount');
        } catch (\Cmpay\Exception\InvalidInputException $e) {
            $this->assertSame('CMPAY_INVALID_ARGUMENT', $e->getStatusName());
        }
    }

    public function testOneFfiObjectPerProcess(): void
    {
        $this->assertSame(Library::ffi(), Library::ffi());
        $this->assertSame(Library::ffi(), Library::load());
        $this->assertSame(Library::ffi(), Library::load((string) Library::loadedPath()));
        $this->expectException(LibraryNotFoundException::class);
        Library::load('/somewhere/else/libcmpay.so');
    }

    public function testManyObjectsAreFreed(): void
    {
        $m = Support::merchant();
        $body = Support::vector('notify-OfflineNotify')['form_body'];
        $before = memory_get_usage();
        for ($i = 0; $i < 2000; $i++) {
            $n = $m->parseNotification($body);
            $this->assertSame('SUCCESS', $n->ack());
            $m->signQuery(['requestId' => 'R' . $i, 'orderId' => 'O' . $i])->body();
        }
        $this->assertLessThan(256 * 1024, memory_get_usage() - $before);
    }

    /** Runs PHP code in a fresh process with the given environment. */
    private function php(string $code, array $env, string $ffiEnable = '1'): string
    {
        $full = getenv();
        unset($full['CMPAY_LIB']);
        $cmd = [PHP_BINARY, '-d', 'ffi.enable=' . $ffiEnable, '-r', 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';' . $code];
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + $full);
        $this->assertIsResource($proc);
        $out = (string) stream_get_contents($pipes[1]) . (string) stream_get_contents($pipes[2]);
        proc_close($proc);
        return $out;
    }

    public function testEnvVarThatDoesNotExistIsAnError(): void
    {
        $out = $this->php('try { Cmpay\Cmpay::version(); } catch (Cmpay\Exception\LibraryNotFoundException $e) { echo "NOTFOUND ", $e->getMessage(); }', ['CMPAY_LIB' => '/nonexistent/libcmpay.so']);
        $this->assertStringContainsString('NOTFOUND', $out);
        $this->assertStringContainsString('/nonexistent/libcmpay.so', $out);
        $this->assertStringContainsString('CMPAY_LIB', $out);
    }

    public function testEnvVarIsUsed(): void
    {
        $path = (string) Library::loadedPath();
        $out = $this->php('Cmpay\Cmpay::version(); echo Cmpay\Library::loadedPath();', ['CMPAY_LIB' => $path]);
        $this->assertSame($path, trim($out));
    }

    public function testExplicitPathWinsOverEnv(): void
    {
        $path = (string) Library::loadedPath();
        $out = $this->php('Cmpay\Library::load(' . var_export($path, true) . '); echo Cmpay\Library::loadedPath();', ['CMPAY_LIB' => '/nonexistent/libcmpay.so']);
        $this->assertSame($path, trim($out));
    }

    public function testSearchOrderWithoutEnv(): void
    {
        $out = $this->php('echo json_encode(array_column(Cmpay\Library::candidates(), 0));', []);
        $places = json_decode(trim($out), true);
        $this->assertSame(['inside the package', 'next to the package', 'source tree (release)', 'source tree (debug)', 'system search path'], $places);
        $out = $this->php('echo Cmpay\Cmpay::version(), " ", Cmpay\Library::loadedPath();', []);
        $this->assertMatchesRegularExpression('~^\d+\.\d+\.\d+ .*libcmpay~', trim($out));
    }

    /**
     * @return array<string, array{0: string, 1: string, 2: int, 3: string}>
     */
    public static function platforms(): array
    {
        return [
            'Linux x86-64' => ['Linux', 'x86_64', 8, 'linux-x86_64'],
            'Linux arm64' => ['Linux', 'aarch64', 8, 'linux-aarch64'],
            'Windows x64' => ['Windows', 'AMD64', 8, 'windows-x86_64'],
            '32-bit PHP on 64-bit Windows' => ['Windows', 'AMD64', 4, 'windows-x86'],
            'Windows x86' => ['Windows', 'i386', 4, 'windows-x86'],
            'Windows x86 (i586)' => ['Windows', 'i586', 4, 'windows-x86'],
            'macOS arm64' => ['Darwin', 'arm64', 8, 'darwin-aarch64'],
        ];
    }

    /**
     * @dataProvider platforms
     */
    public function testPlatformDirectoryPerOsMachineAndBitness(string $os, string $machine, int $intSize, string $expected): void
    {
        $this->assertSame($expected, Library::platformFor($os, $machine, $intSize));
    }

    public function testPlatformOfThisProcess(): void
    {
        $this->assertSame(Library::platformFor(PHP_OS_FAMILY, php_uname('m'), PHP_INT_SIZE), Library::platform());
    }

    public function testFileNamePerOs(): void
    {
        $this->assertSame('cmpay.dll', Library::fileNameFor('Windows'));
        $this->assertSame('libcmpay.so', Library::fileNameFor('Linux'));
        $this->assertSame('libcmpay.dylib', Library::fileNameFor('Darwin'));
        $this->assertSame('libcmpay.so', Library::fileNameFor('BSD'));
    }

    public function testAdviceOutsideACheckoutNamesWhatTheArchiveCarries(): void
    {
        $dir = sys_get_temp_dir() . '/cmpay-advice-' . getmypid();
        foreach (['linux-x86_64/libcmpay.so', 'windows-x86/cmpay.dll'] as $f) {
            @mkdir(dirname($dir . '/lib/' . $f), 0777, true);
            file_put_contents($dir . '/lib/' . $f, 'x');
        }
        try {
            $text = Library::advice($dir);
        } finally {
            unlink($dir . '/lib/linux-x86_64/libcmpay.so');
            unlink($dir . '/lib/windows-x86/cmpay.dll');
            rmdir($dir . '/lib/linux-x86_64');
            rmdir($dir . '/lib/windows-x86');
            rmdir($dir . '/lib');
            rmdir($dir);
        }
        $this->assertStringContainsString('lib/ carries linux-x86_64/libcmpay.so, windows-x86/cmpay.dll', $text);
        $this->assertStringContainsString('CMPAY_LIB', $text);
        $this->assertStringNotContainsString('cargo', $text);
        $this->assertStringContainsString('Cmpay\Library::load($path)', $text);
    }

    public function testAdviceInACheckoutSaysHowToBuild(): void
    {
        $this->assertStringContainsString('cargo build --release', Library::advice(dirname(__DIR__)));
    }

    public function testMissingLibraryMessageListsPlaces(): void
    {
        $out = $this->php('try { Cmpay\Library::load("/nowhere/libcmpay.so"); } catch (Cmpay\Exception\LibraryNotFoundException $e) { echo $e->getMessage(); }', []);
        $this->assertStringContainsString('explicit path: /nowhere/libcmpay.so (no such file)', $out);
    }

    public function testFfiDisabledIsSaidFirst(): void
    {
        $path = (string) Library::loadedPath();
        $out = $this->php('try { Cmpay\Cmpay::version(); echo "LOADED"; } catch (Cmpay\Exception\LibraryNotFoundException $e) { echo $e->getMessage(); }', ['CMPAY_LIB' => $path], '0');
        $this->assertStringNotContainsString('LOADED', $out);
        $this->assertStringStartsWith('PHP FFI is disabled here (ffi.enable=\'0\'', $out);
        $ffi = strpos($out, 'ffi.enable=true');
        $preload = strpos($out, 'ffi.preload=');
        $cargo = strpos($out, 'cargo build');
        $this->assertNotFalse($ffi);
        $this->assertNotFalse($preload);
        $this->assertNotFalse($cargo);
        $this->assertLessThan($cargo, $ffi);
        $this->assertLessThan($cargo, $preload);
        $this->assertStringContainsString($path, $out);
    }

    public function testFfiEnabledMissingLibraryDoesNotBlameFfi(): void
    {
        $out = $this->php('try { Cmpay\Library::load("/nowhere/libcmpay.so"); } catch (Cmpay\Exception\LibraryNotFoundException $e) { echo $e->getMessage(); }', []);
        $this->assertStringStartsWith('cannot load the cmpay shared library', $out);
        $this->assertStringNotContainsString('FFI is disabled', $out);
    }

    public function testKindsAreTheAbiNames(): void
    {
        $this->assertSame(
            ['order-request', 'order-response', 'notify', 'query-request', 'query-response', 'refund-request', 'refund-response'],
            array_values((new \ReflectionClass(MessageKind::class))->getConstants())
        );
    }
}
