<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** The shared library could not be found or loaded; the message lists every place tried. */
class LibraryNotFoundException extends CmpayException
{
}
