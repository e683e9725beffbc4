<?php

declare(strict_types=1);

namespace Cmpay;

// Deprecated name (version 0.1.0) of MessageKind.
class_alias(MessageKind::class, Kind::class);
