package dev.pulse.orders;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;

/** The rollup key of an order fact: (region, city), either possibly {@code *}. */
public class RegionCityKey implements KeySelector<OrderFact, Tuple2<String, String>> {
    public static final TypeInformation<Tuple2<String, String>> TYPE = Types.TUPLE(Types.STRING, Types.STRING);

    @Override
    public Tuple2<String, String> getKey(OrderFact f) {
        return Tuple2.of(f.region, f.city);
    }
}
