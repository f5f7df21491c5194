package io.dealflow.analytics.web;

import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import org.slf4j.MDC;

import java.util.Map;

/**
 * The request's id and traceparent in the logging MDC of whichever thread works on the request (event loop or the
 * blocking executor), restored to what that thread had when it is done.
 */
record RequestMdc(Map<String, String> values) implements ThreadPropagatedContextElement<Map<String, String>> {

    @Override
    public Map<String, String> updateThreadContext() {
        Map<String, String> before = MDC.getCopyOfContextMap();
        values.forEach(MDC::put);
        return before;
    }

    @Override
    public void restoreThreadContext(Map<String, String> before) {
        if (before == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(before);
        }
    }
}
