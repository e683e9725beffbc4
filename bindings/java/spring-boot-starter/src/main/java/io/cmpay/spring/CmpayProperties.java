package io.cmpay.spring;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code cmpay.*} properties: the settings of the library's environment variables under
 * Spring's names, one rule between them: {@code cmpay.sign-key-file} is {@code CMPAY_SIGN_KEY_FILE},
 * {@code cmpay.connect-timeout-ms} is {@code CMPAY_CONNECT_TIMEOUT_MS}, and so on (Spring's
 * relaxed binding reads the environment variable into the property by that same rule). The
 * library reads and checks them ({@link io.cmpay.Client#fromVariables}), with the rules of
 * {@code Client.fromEnv()}: key files with a BOM or a trailing newline, exactly one way of
 * signing, every bad value an error naming it. Unset: the library's default.
 */
@ConfigurationProperties("cmpay")
public class CmpayProperties {

    /** The merchant's id at the gateway (required). */
    private String merchantId;
    /** MD5: the signKey. Prefer sign-key-file: a key in a file stays out of the configuration. */
    private String signKey;
    /** MD5: a file holding the signKey. */
    private String signKeyFile;
    /** RSA: the merchant's private key file (PEM or DER). */
    private String rsaPrivateKeyFile;
    /** RSA: the gateway's public key or certificate file (PEM or DER). */
    private String rsaPublicKeyFile;
    /** The gateway's URL (default: the live gateway). */
    private String endpoint;
    /** The characterSet of orders that leave it out: 00 (GBK, the default), 01 (GB2312), 02 (UTF-8). */
    private String charset;
    /** Connect timeout, whole milliseconds, 1 to 120000 (default 5000). */
    private Long connectTimeoutMs;
    /** Request timeout, whole milliseconds, 1 to 120000 (default 30000). */
    private Long timeoutMs;
    /** An HTTP(S) proxy URL. */
    private String proxy;
    /** A PEM file of extra trusted CA certificates. */
    private String extraCaFile;
    /** Whether a plain http endpoint is allowed (a test gateway only; default false). */
    private Boolean allowHttp;

    /** The notify endpoint's settings (not a library variable). */
    private final Notify notify = new Notify();

    /** {@code cmpay.notify.*}: where the starter's notify endpoint listens. */
    public static class Notify {
        /** The notifyUrl's path (the OfflineNotify arrives here). */
        private String path = "/cmpay/notify";

        /** The path. */
        public String getPath() {
            return path;
        }

        /** Sets the path. */
        public void setPath(String path) {
            this.path = path;
        }
    }

    /**
     * The library variable a property stands for: {@code signKeyFile} (Spring's
     * {@code cmpay.sign-key-file}) is {@code CMPAY_SIGN_KEY_FILE}.
     */
    public static String variableName(String field) {
        return "CMPAY_" + field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }

    /** The property a library variable stands for: {@code CMPAY_SIGN_KEY_FILE} is {@code cmpay.sign-key-file}. */
    public static String propertyName(String variable) {
        return "cmpay." + variable.substring("CMPAY_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The properties set, as the library's variables (name to value, by {@link #variableName}):
     * every field of this class that is a setting (text, a number, a flag), none other listed.
     */
    public Map<String, String> variables() {
        Map<String, String> vars = new LinkedHashMap<>();
        for (Field f : CmpayProperties.class.getDeclaredFields()) {
            Class<?> t = f.getType();
            if (Modifier.isStatic(f.getModifiers()) || !(t == String.class || t == Long.class || t == Boolean.class)) {
                continue;
            }
            try {
                Object v = f.get(this);
                if (v != null) {
                    vars.put(variableName(f.getName()), v.toString());
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return vars;
    }

    /** See the field. */
    public String getMerchantId() {
        return merchantId;
    }

    /** See the field. */
    public void setMerchantId(String merchantId) {
        this.merchantId = merchantId;
    }

    /** See the field. */
    public String getSignKey() {
        return signKey;
    }

    /** See the field. */
    public void setSignKey(String signKey) {
        this.signKey = signKey;
    }

    /** See the field. */
    public String getSignKeyFile() {
        return signKeyFile;
    }

    /** See the field. */
    public void setSignKeyFile(String signKeyFile) {
        this.signKeyFile = signKeyFile;
    }

    /** See the field. */
    public String getRsaPrivateKeyFile() {
        return rsaPrivateKeyFile;
    }

    /** See the field. */
    public void setRsaPrivateKeyFile(String rsaPrivateKeyFile) {
        this.rsaPrivateKeyFile = rsaPrivateKeyFile;
    }

    /** See the field. */
    public String getRsaPublicKeyFile() {
        return rsaPublicKeyFile;
    }

    /** See the field. */
    public void setRsaPublicKeyFile(String rsaPublicKeyFile) {
        this.rsaPublicKeyFile = rsaPublicKeyFile;
    }

    /** See the field. */
    public String getEndpoint() {
        return endpoint;
    }

    /** See the field. */
    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint;
    }

    /** See the field. */
    public String getCharset() {
        return charset;
    }

    /** See the field. */
    public void setCharset(String charset) {
        this.charset = charset;
    }

    /** See the field. */
    public Long getConnectTimeoutMs() {
        return connectTimeoutMs;
    }

    /** See the field. */
    public void setConnectTimeoutMs(Long connectTimeoutMs) {
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /** See the field. */
    public Long getTimeoutMs() {
        return timeoutMs;
    }

    /** See the field. */
    public void setTimeoutMs(Long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    /** See the field. */
    public String getProxy() {
        return proxy;
    }

    /** See the field. */
    public void setProxy(String proxy) {
        this.proxy = proxy;
    }

    /** See the field. */
    public String getExtraCaFile() {
        return extraCaFile;
    }

    /** See the field. */
    public void setExtraCaFile(String extraCaFile) {
        this.extraCaFile = extraCaFile;
    }

    /** See the field. */
    public Boolean getAllowHttp() {
        return allowHttp;
    }

    /** See the field. */
    public void setAllowHttp(Boolean allowHttp) {
        this.allowHttp = allowHttp;
    }

    /** The notify endpoint's settings. */
    public Notify getNotify() {
        return notify;
    }
}
