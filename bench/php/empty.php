<?php

// Throughput benchmark: a request to PHP-FPM that does nothing (the floor).
echo 'SUCCESS';
