package io.certflow.deployment.target.alibaba;

import com.aliyun.cas20200407.models.DeleteUserCertificateRequest;
import com.aliyun.cas20200407.models.GetUserCertificateDetailRequest;
import com.aliyun.cas20200407.models.GetUserCertificateDetailResponseBody;
import com.aliyun.cas20200407.models.ListUserCertificateOrderRequest;
import com.aliyun.cas20200407.models.ListUserCertificateOrderResponseBody;
import com.aliyun.cas20200407.models.UploadUserCertificateRequest;
import io.certflow.deployment.target.CertificateBundle;
import io.certflow.deployment.target.PemCertificates;
import io.certflow.deployment.target.ServedCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The account's Certificate Management Service (CAS, API 2020-04-07), where CDN, DCDN and ALB take their certificates
 * from: uploads a version (named {@code certflow-<serial>}), finds one by serial, reads one back, deletes one. The
 * adapters call it through the {@link io.certflow.deployment.target.CloudCertificateLedger}, so a version is uploaded
 * once per credential.
 */
final class CasCertificates {

    private static final Logger log = LoggerFactory.getLogger(CasCertificates.class);
    private static final String CAS = "CAS";

    private final AlibabaClients clients;

    CasCertificates(AlibabaClients clients) {
        this.clients = clients;
    }

    /** The name certflow gives a version in CAS. */
    static String name(String serial) {
        return "certflow-" + serial;
    }

    /**
     * Uploads the chain and key; answers CAS's certificate id. A version uploaded before but not recorded (CAS answers
     * {@code NameRepeat}) is found by its name and serial instead of failing.
     */
    String upload(AlibabaAccount account, CertificateBundle bundle, String serial) {
        com.aliyun.cas20200407.Client cas = clients.cas(account);
        String name = name(serial);
        UploadUserCertificateRequest request = new UploadUserCertificateRequest().setName(name)
                .setCert(bundle.certificateChainPem()).setKey(bundle.privateKeyPem());
        try {
            Long id = AlibabaClients.call(account, CAS, "UploadUserCertificate",
                    () -> cas.uploadUserCertificateWithOptions(request, clients.runtime())).getBody().getCertId();
            if (id == null) {
                throw new AlibabaApiException("Alibaba Cloud CAS UploadUserCertificate answered without a CertId",
                        "UploadUserCertificate", null, true);
            }
            log.info("uploaded certificate {} to the certificate store of credential {} as CAS certificate {}", serial,
                    account.credentialId(), id);
            return String.valueOf(id);
        } catch (AlibabaApiException e) {
            if (e.code() != null && e.code().contains("NameRepeat")) {
                Optional<String> known = findBySerial(account, serial, name);
                if (known.isPresent()) {
                    log.info("certificate {} was already in the certificate store as CAS certificate {}", serial, known.get());
                    return known.get();
                }
            }
            throw e;
        }
    }

    /** CAS's id of the certificate with this serial (optionally narrowed by a keyword), by listing the account's certificates. */
    Optional<String> findBySerial(AlibabaAccount account, String serial, String keyword) {
        com.aliyun.cas20200407.Client cas = clients.cas(account);
        for (long page = 1; page <= 20; page++) {
            ListUserCertificateOrderRequest request = new ListUserCertificateOrderRequest().setOrderType("CERT")
                    .setCurrentPage(page).setShowSize(50L);
            if (keyword != null) {
                request.setKeyword(keyword);
            }
            ListUserCertificateOrderResponseBody body = AlibabaClients.call(account, CAS, "ListUserCertificateOrder",
                    () -> cas.listUserCertificateOrderWithOptions(request, clients.runtime())).getBody();
            List<ListUserCertificateOrderResponseBody.ListUserCertificateOrderResponseBodyCertificateOrderList> list =
                    body.getCertificateOrderList() == null ? List.of() : body.getCertificateOrderList();
            for (var certificate : list) {
                if (certificate.getCertificateId() != null && certificate.getSerialNo() != null
                        && serial.equals(PemCertificates.normalizeSerial(certificate.getSerialNo()))) {
                    return Optional.of(String.valueOf(certificate.getCertificateId()));
                }
            }
            long total = body.getTotalCount() == null ? 0 : body.getTotalCount();
            if (list.isEmpty() || page * 50 >= total) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * The facts of CAS certificate {@code id} (serial, expiry, names), asked with {@code CertFilter=true} so that CAS
     * sends neither the PEM nor the private key. Empty when CAS gives no serial.
     */
    Optional<ServedCertificate> describe(AlibabaAccount account, String id) {
        com.aliyun.cas20200407.Client cas = clients.cas(account);
        GetUserCertificateDetailRequest request = new GetUserCertificateDetailRequest()
                .setCertId(number(id, "GetUserCertificateDetail")).setCertFilter(true);
        GetUserCertificateDetailResponseBody body = AlibabaClients.call(account, CAS, "GetUserCertificateDetail",
                () -> cas.getUserCertificateDetailWithOptions(request, clients.runtime())).getBody();
        if (body.getSerialNo() == null || body.getSerialNo().isBlank()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (body.getSans() != null) {
            Arrays.stream(body.getSans().split(",")).map(String::strip).filter(n -> !n.isEmpty())
                    .map(n -> n.toLowerCase(Locale.ROOT)).forEach(names::add);
        }
        if (names.isEmpty() && body.getCommon() != null && !body.getCommon().isBlank()) {
            names.add(body.getCommon().toLowerCase(Locale.ROOT));
        }
        return Optional.of(new ServedCertificate(PemCertificates.normalizeSerial(body.getSerialNo()), endDate(body.getEndDate()),
                names));
    }

    private static Instant endDate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Deletes CAS certificate {@code id}. */
    void delete(AlibabaAccount account, String id) {
        com.aliyun.cas20200407.Client cas = clients.cas(account);
        DeleteUserCertificateRequest request = new DeleteUserCertificateRequest().setCertId(number(id, "DeleteUserCertificate"));
        AlibabaClients.call(account, CAS, "DeleteUserCertificate",
                () -> cas.deleteUserCertificateWithOptions(request, clients.runtime()));
    }

    private static long number(String id, String action) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new AlibabaApiException("'" + id + "' is not a CAS certificate id", action, null, false);
        }
    }
}
