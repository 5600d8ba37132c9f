package io.logomesh.host.permission;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicPatternTest {

    @ParameterizedTest
    @CsvSource({
            "orders.created, orders.created, true",
            "orders.created, orders.deleted, false",
            "orders.*, orders.created, true",
            "orders.*, orders.eu.created, true",
            "orders.*, orders, false",
            "orders.*, order.created, false",
            "*, anything.at.all, true",
            "*.created, orders.created, true",
            "*.created, orders.created.late, false",
            "a*b*c, axxbyyc, true",
            "a*b*c, axxbyy, false",
            "orders, orders.created, false",
    })
    void shouldMatchStarsAcrossDots(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.matches(pattern, topic)).isEqualTo(expected);
    }
}
