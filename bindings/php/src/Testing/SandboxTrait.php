<?php

declare(strict_types=1);

namespace Cmpay\Testing;

/**
 * For a PHPUnit TestCase: a gateway simulator in this process for each test
 * (started before it, stopped after it), through cmpay's own library: no
 * separate binary, and no dependency of the package on PHPUnit.
 *
 *     final class CheckoutTest extends TestCase
 *     {
 *         use \Cmpay\Testing\SandboxTrait;
 *
 *         public function testPaid(): void
 *         {
 *             $client = $this->cmpaySandbox()->client();
 *             $client->createOrder([... 'orderId' => 'T1', 'notifyUrl' => $myNotifyUrl]);
 *             $this->cmpaySandbox()->pay('T1');
 *             $this->cmpaySandbox()->waitNotified('T1');
 *             $this->assertSame(OrderStatus::PAID, $client->queryOrder('T1')->orderStatus());
 *         }
 *     }
 *
 * Override cmpaySandboxHttps() to return true for an HTTPS simulator.
 */
trait SandboxTrait
{
    /** @var Sandbox|null */
    private $cmpaySandboxInstance;

    /** Whether the simulator serves HTTPS (with a CA made at start). */
    protected function cmpaySandboxHttps(): bool
    {
        return false;
    }

    /** The running simulator of this test (started on first use). */
    protected function cmpaySandbox(): Sandbox
    {
        if ($this->cmpaySandboxInstance === null) {
            $this->cmpaySandboxInstance = new Sandbox($this->cmpaySandboxHttps());
        }
        return $this->cmpaySandboxInstance;
    }

    /**
     * Stops this test's simulator, if it was started. PHPUnit calls it after
     * each test through the annotation (PHPUnit 9 to 11; the package keeps
     * PHP 7.4 syntax, so no attribute). With PHPUnit 12, or another test
     * framework, call it from tearDown().
     *
     * @after
     */
    protected function stopCmpaySandbox(): void
    {
        if ($this->cmpaySandboxInstance !== null) {
            $this->cmpaySandboxInstance->close();
            $this->cmpaySandboxInstance = null;
        }
    }
}
