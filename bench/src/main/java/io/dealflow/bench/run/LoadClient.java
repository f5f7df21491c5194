package io.dealflow.bench.run;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * The load generator's HTTP client: blocking calls on keep-alive connections, one per concurrent caller. It shares the
 * machine with the system it loads, so it must cost little: the JDK's client took ~0.5 ms of CPU per asynchronous
 * request (half a core at 900 creates/s), Apache HttpClient's classic client a fraction of that.
 */
final class LoadClient implements AutoCloseable {

    /** Status and body of an answer. */
    record Answer(int status, String body) {
    }

    private final CloseableHttpClient client;

    LoadClient(int connections) {
        client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(10))
                                .setSocketTimeout(Timeout.ofSeconds(30)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(Timeout.ofSeconds(30)).build())
                .disableAutomaticRetries().disableCookieManagement().disableRedirectHandling().disableContentCompression()
                .build();
    }

    /** Sends a request (a JSON body, or none when null) and reads the whole answer. */
    Answer send(String method, String url, Map<String, String> headers, String json) throws IOException {
        HttpUriRequestBase request = new HttpUriRequestBase(method, URI.create(url));
        headers.forEach(request::addHeader);
        if (json != null) {
            request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        }
        return client.execute(request, response -> new Answer(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity())));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
