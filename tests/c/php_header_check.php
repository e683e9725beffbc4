<?php
// include/cmpay.h must load with PHP's FFI::cdef exactly as committed (no
// extern "C", no `enum : type`, preprocessor lines are skipped by PHP's
// parser). cdef resolves every declared function in the library, so this
// also proves each one is exported. usage: php -d ffi.enable=1 THIS HEADER LIB
[$_, $header, $lib] = $argv;
$ffi = FFI::cdef(file_get_contents($header), $lib);
$version = $ffi->cmpay_version();
preg_match('/#define CMPAY_VERSION "([^"]*)"/', file_get_contents($header), $m);
if ($version !== $m[1]) {
    fwrite(STDERR, "cmpay_version() is $version, the header says {$m[1]}\n");
    exit(1);
}
if (FFI::sizeof($ffi->type('cmpay_amt_item')) !== 40 || $ffi->cmpay_status_name(103) !== 'CMPAY_NOT_FOUND') {
    fwrite(STDERR, "cmpay_amt_item or cmpay_status_name is not as declared\n");
    exit(1);
}
echo "PHP FFI::cdef loads $header as is (library $version)\n";
