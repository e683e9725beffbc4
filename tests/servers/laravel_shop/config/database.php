<?php

return [
    'default' => env('DB_CONNECTION', 'sqlite'),
    'connections' => [
        'sqlite' => ['driver' => 'sqlite', 'database' => env('DB_DATABASE'), 'prefix' => '', 'foreign_key_constraints' => true],
        'pgsql' => [
            'driver' => 'pgsql', 'host' => '127.0.0.1', 'port' => env('DB_PORT'), 'database' => env('DB_DATABASE'),
            'username' => env('DB_USERNAME'), 'password' => '', 'charset' => 'utf8', 'prefix' => '', 'schema' => 'public',
        ],
    ],
    'migrations' => 'migrations',
];
