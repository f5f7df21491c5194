package io.dealflow.analytics.config;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * OpenTelemetry for the projection's spans. Only traces the gateway (or a caller) marked sampled are recorded — the
 * service starts none of its own — and they are exported by OTLP/HTTP when {@code MANAGEMENT_OTLP_TRACING_ENDPOINT} is
 * set, the same variable the Spring services read, plus to any other {@link SpanExporter} bean (a test's in-memory one).
 */
@Factory
class TracingFactory {

    /** Closed with the context: the spans still buffered are handed over before the process ends. */
    @Singleton
    @Bean(preDestroy = "close")
    SdkTracerProvider tracerProvider(@Value("${dealflow.tracing.otlp-endpoint:}") String otlpEndpoint, List<SpanExporter> exporters) {
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder()
                .setSampler(Sampler.parentBased(Sampler.alwaysOff()))
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "funnel-analytics-service"))));
        if (!otlpEndpoint.isBlank()) {
            builder.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(otlpEndpoint).build()).build());
        }
        exporters.forEach(exporter -> builder.addSpanProcessor(BatchSpanProcessor.builder(exporter).build()));
        return builder.build();
    }

    @Singleton
    Tracer tracer(SdkTracerProvider provider) {
        return provider.get("funnel-analytics-service");
    }
}
