<?php

declare(strict_types=1);

namespace Cmpay;

/** The payUrl token of an order response. */
final class PayUrl
{
    /** @var string */
    public $url;
    /** @var string "get" or "post" */
    public $method;
    /** @var string */
    public $sessionId;

    public function __construct(string $url, string $method, string $sessionId)
    {
        $this->url = $url;
        $this->method = $method;
        $this->sessionId = $sessionId;
    }
}
