<?php

/*
 * cmpay's Laravel configuration (Cmpay\Laravel\CmpayServiceProvider), the
 * same CMPAY_* names as Client::fromEnv. Publish it into the application with
 *   php artisan vendor:publish --tag=cmpay-config
 *
 * With merchant_id set, the merchant comes from here: sign_key (MD5), or
 * rsa_private_key_file and rsa_public_key_file (RSA, PEM or DER files).
 * Left null, the library reads the CMPAY_* variables of the process itself
 * (Client::fromEnv: the same rules in every language, e.g. CMPAY_SIGN_KEY_FILE);
 * the other settings here are then the base those variables override.
 */

return [
    'merchant_id' => env('CMPAY_MERCHANT_ID'),
    'sign_key' => env('CMPAY_SIGN_KEY'),
    'rsa_private_key_file' => env('CMPAY_RSA_PRIVATE_KEY_FILE'),
    'rsa_public_key_file' => env('CMPAY_RSA_PUBLIC_KEY_FILE'),

    // The gateway (null: the production gateway) and how it is reached.
    'endpoint' => env('CMPAY_ENDPOINT'),
    'charset' => env('CMPAY_CHARSET'),
    'connect_timeout_ms' => env('CMPAY_CONNECT_TIMEOUT_MS'),
    'timeout_ms' => env('CMPAY_TIMEOUT_MS'),
    'proxy' => env('CMPAY_PROXY'),
    'extra_ca_file' => env('CMPAY_EXTRA_CA_FILE'),
    'allow_http' => env('CMPAY_ALLOW_HTTP', false), // only for a test gateway (cmpay sandbox)

    // Every exchange logged to this Laravel log channel (null: the default one), from this level on.
    'log_channel' => env('CMPAY_LOG_CHANNEL'),
    'log_level' => env('CMPAY_LOG_LEVEL', 'info'),

    // The database connection of the once-only payment record (null: the default one).
    'connection' => env('CMPAY_DB_CONNECTION'),
];
