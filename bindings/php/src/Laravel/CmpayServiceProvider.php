<?php

declare(strict_types=1);

namespace Cmpay\Laravel;

use Cmpay\Client;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\InvalidKeyException;
use Cmpay\Merchant;
use Cmpay\Status;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Routing\Route;
use Illuminate\Support\Facades\Route as Router;
use Illuminate\Support\ServiceProvider;

/**
 * cmpay in a Laravel application (8 or later; Laravel is no dependency of
 * the package): the configuration config/cmpay.php, the container's
 * Cmpay\Client (one per application, shared) and Cmpay\Merchant (the
 * client's), every exchange logged to a Laravel log channel, the migration
 * of the once-only payment record, and the notify route
 * (CmpayServiceProvider::routes()). See README.md, "Laravel".
 */
final class CmpayServiceProvider extends ServiceProvider
{
    private const CONFIG = __DIR__ . '/../../config/cmpay.php';
    private const MIGRATIONS = __DIR__ . '/../../database/migrations';

    public function register(): void
    {
        $this->mergeConfigFrom(self::CONFIG, 'cmpay');
        $this->app->singleton(Client::class, static function (Application $app): Client {
            return self::client((array) $app['config']->get('cmpay', []), $app);
        });
        $this->app->singleton(Merchant::class, static function (Application $app): Merchant {
            return $app->make(Client::class)->merchant();
        });
    }

    public function boot(): void
    {
        $this->publishes([self::CONFIG => $this->app->configPath('cmpay.php')], 'cmpay-config');
        $this->publishes([self::MIGRATIONS => $this->app->databasePath('migrations')], 'cmpay-migrations');
        $this->loadMigrationsFrom(self::MIGRATIONS);
    }

    /**
     * Registers POST $uri (the notifyUrl given to the gateway) to
     * NotifyController, named "cmpay.notify". Call it where no CSRF
     * middleware applies (routes/api.php, or outside the "web" group): the
     * gateway posts without a token, the signature is the check.
     */
    public static function routes(string $uri = 'cmpay/notify'): Route
    {
        return Router::post($uri, NotifyController::class)->name('cmpay.notify');
    }

    /**
     * The client config/cmpay.php describes.
     *
     * @param array<string, mixed> $c
     */
    public static function client(array $c, Application $app): Client
    {
        $options = [];
        foreach (['endpoint', 'charset', 'connect_timeout_ms', 'timeout_ms', 'proxy'] as $name) {
            if (isset($c[$name]) && $c[$name] !== '') {
                $options[$name] = is_int($c[$name]) ? $c[$name] : (string) $c[$name];
            }
        }
        if (isset($c['allow_http']) && $c['allow_http'] !== '') {
            $allow = filter_var($c['allow_http'], FILTER_VALIDATE_BOOLEAN, FILTER_NULL_ON_FAILURE);
            if ($allow === null) {
                throw self::invalid('cmpay.allow_http must be true or false');
            }
            $options['allow_http'] = $allow;
        }
        if (!empty($c['extra_ca_file'])) {
            $options['ca_pem'] = self::read((string) $c['extra_ca_file'], 'extra_ca_file');
        }
        $options['logger'] = $app->make('log')->channel($c['log_channel'] ?? null);
        $options['log_level'] = (string) ($c['log_level'] ?? 'info');
        if (empty($c['merchant_id'])) {
            return Client::fromEnv($options);
        }
        if (!empty($c['sign_key'])) {
            $merchant = Merchant::md5((string) $c['merchant_id'], (string) $c['sign_key']);
        } elseif (!empty($c['rsa_private_key_file']) && !empty($c['rsa_public_key_file'])) {
            $merchant = Merchant::rsa(
                (string) $c['merchant_id'],
                self::read((string) $c['rsa_private_key_file'], 'rsa_private_key_file'),
                self::read((string) $c['rsa_public_key_file'], 'rsa_public_key_file')
            );
        } else {
            throw self::invalid('cmpay.merchant_id is set but neither cmpay.sign_key nor both cmpay.rsa_private_key_file and cmpay.rsa_public_key_file');
        }
        return new Client($merchant, $options);
    }

    /** The merchant id the notifications must carry: cmpay.merchant_id, else CMPAY_MERCHANT_ID. */
    public static function merchantId(Application $app): string
    {
        $id = (string) ($app['config']->get('cmpay.merchant_id') ?: getenv('CMPAY_MERCHANT_ID'));
        if ($id === '') {
            throw self::invalid('neither cmpay.merchant_id nor CMPAY_MERCHANT_ID is set');
        }
        return $id;
    }

    private static function read(string $path, string $key): string
    {
        $data = is_readable($path) ? file_get_contents($path) : false;
        if ($data === false) {
            throw new InvalidKeyException(sprintf('cmpay.%s: cannot read %s', $key, $path), Status::KEY, 'CMPAY_KEY');
        }
        return $data;
    }

    private static function invalid(string $message): InvalidInputException
    {
        return new InvalidInputException($message, Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
    }
}
