<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use PHPUnit\Framework\TestCase;

/**
 * The package promises PHP 7.4 (legacy shops still run it) but is tested on
 * 8.x: this walks the syntax tree of every file the package ships and refuses
 * constructs newer than 7.4 (needs nikic/php-parser 4, Debian's php-parser).
 */
final class Php74SyntaxTest extends TestCase
{
    public function testNoSyntaxNewerThanPhp74(): void
    {
        $autoload = '/usr/share/php/PhpParser/autoload.php';
        if (!class_exists(\PhpParser\ParserFactory::class) && is_file($autoload)) {
            require_once $autoload;
        }
        if (!class_exists(\PhpParser\ParserFactory::class) || !defined('PhpParser\ParserFactory::PREFER_PHP7')) {
            $this->markTestSkipped('nikic/php-parser 4 not installed');
        }
        $root = dirname(__DIR__);
        $files = array_merge(
            glob($root . '/src/*.php') ?: [],
            glob($root . '/src/Exception/*.php') ?: [],
            glob($root . '/src/Laravel/*.php') ?: [],
            glob($root . '/config/*.php') ?: [],
            glob($root . '/database/migrations/*.php') ?: [],
            glob($root . '/src/Testing/*.php') ?: [],
            glob($root . '/examples/*.php') ?: [],
            [$root . '/autoload.php', $root . '/ffi-header.php', $root . '/preload.php']
        );
        $this->assertGreaterThan(15, count($files));
        $parser = (new \PhpParser\ParserFactory())->create(\PhpParser\ParserFactory::PREFER_PHP7);
        $problems = [];
        foreach ($files as $file) {
            $ast = $parser->parse((string) file_get_contents($file));
            $finder = new \PhpParser\NodeFinder();
            foreach ($finder->find((array) $ast, static function (\PhpParser\Node $n): bool {
                return self::newerThan74($n) !== null;
            }) as $node) {
                $problems[] = sprintf('%s:%d %s', basename($file), $node->getLine(), self::newerThan74($node));
            }
        }
        $this->assertSame([], $problems);
    }

    private static function newerThan74(\PhpParser\Node $n): ?string
    {
        if ($n instanceof \PhpParser\Node\UnionType) {
            return 'union type (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Expr\Match_) {
            return 'match (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Expr\NullsafeMethodCall || $n instanceof \PhpParser\Node\Expr\NullsafePropertyFetch) {
            return 'nullsafe operator (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Expr\Throw_) {
            return 'throw expression (8.0)';
        }
        if ($n instanceof \PhpParser\Node\AttributeGroup) {
            return 'attribute (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Arg && $n->name !== null) {
            return 'named argument (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Param && $n->flags !== 0) {
            return 'constructor property promotion (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Stmt\Enum_) {
            return 'enum (8.1)';
        }
        if ($n instanceof \PhpParser\Node\Stmt\Catch_ && $n->var === null) {
            return 'catch without variable (8.0)';
        }
        if ($n instanceof \PhpParser\Node\Stmt\Property && ($n->flags & \PhpParser\Node\Stmt\Class_::MODIFIER_READONLY) !== 0) {
            return 'readonly (8.1)';
        }
        if ($n instanceof \PhpParser\Node\FunctionLike) {
            $ret = $n->getReturnType();
            if (($ret instanceof \PhpParser\Node\Identifier || $ret instanceof \PhpParser\Node\Name) && in_array($ret->toLowerString(), ['mixed', 'static', 'never'], true)) {
                return 'return type ' . $ret->toString() . ' (8.x)';
            }
            foreach ($n->getParams() as $p) {
                if ($p->type instanceof \PhpParser\Node\Identifier && $p->type->toLowerString() === 'mixed') {
                    return 'mixed type (8.0)';
                }
            }
        }
        if ($n instanceof \PhpParser\Node\Expr\FuncCall && $n->name instanceof \PhpParser\Node\Name
            && in_array($n->name->toLowerString(), ['str_contains', 'str_starts_with', 'str_ends_with', 'array_is_list', 'get_debug_type'], true)) {
            return $n->name->toString() . '() (8.x)';
        }
        return null;
    }
}
