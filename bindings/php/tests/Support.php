<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Merchant;

/** The project's shared test data. */
final class Support
{
    public const MERCHANT_ID = '888009941120001';

    /** @var array<string, mixed>|null */
    private static $vectors = null;

    public static function repo(): string
    {
        return dirname(__DIR__, 3);
    }

    /** @return array<string, mixed> */
    public static function all(): array
    {
        if (self::$vectors === null) {
            $text = file_get_contents(self::repo() . '/tests/data/cmpay-vectors.json');
            self::$vectors = json_decode((string) $text, true, 512, JSON_THROW_ON_ERROR);
        }
        return self::$vectors;
    }

    public static function key(): string
    {
        return self::all()['md5_key'];
    }

    /** @return array<string, mixed> */
    public static function vector(string $name): array
    {
        foreach (self::all()['vectors'] as $v) {
            if ($v['name'] === $name) {
                return $v;
            }
        }
        throw new \LogicException('no vector ' . $name);
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function ofKind(string $kind): array
    {
        $out = [];
        foreach (self::all()['vectors'] as $v) {
            if ($v['kind'] === $kind) {
                $out[$v['name']] = [$v];
            }
        }
        return $out;
    }

    public static function keyFile(string $name): string
    {
        return (string) file_get_contents(self::repo() . '/tests/data/test-keys/' . $name);
    }

    public static function merchant(): Merchant
    {
        return Merchant::md5(self::MERCHANT_ID, self::key());
    }

    /** A TCP port nobody listens on right now. */
    public static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        if ($s === false) {
            throw new \RuntimeException($errstr);
        }
        $name = (string) stream_socket_get_name($s, false);
        fclose($s);
        return (int) substr($name, strrpos($name, ':') + 1);
    }
}
