package io.genomicsbatch.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code fairShare}, a mapping the Pulumi CLI hands over as JSON, into {@link Settings.FairShare}: its
 * shape only (fields, types). Which values AWS accepts is {@link SettingsValidator}'s to judge.
 */
final class FairShareReader {
    private FairShareReader() {
    }

    static final String SHARES = "shares";
    static final String SHARE_DECAY_SECONDS = "shareDecaySeconds";
    static final String COMPUTE_RESERVATION = "computeReservation";
    static final String ID = "id";
    static final String WEIGHT = "weight";

    static final String EXPECTED = "expected a mapping with " + SHARES + " (a list of {" + ID + ", " + WEIGHT
            + "}) and, optionally, " + SHARE_DECAY_SECONDS + " and " + COMPUTE_RESERVATION + " (whole numbers), "
            + "e.g. in the stack file: fairShare: {shares: [{id: labA, weight: 1}, {id: labB, weight: 0.5}]}";

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    /** The settings, or why the value does not have their shape. */
    record Result(Settings.FairShare fairShare, Optional<String> problem) {
        static Result failed(String why) {
            return new Result(Settings.FairShare.NONE, Optional.of(EXPECTED + " (" + why + ")"));
        }
    }

    static Result read(String raw) {
        JsonObject object;
        try {
            var json = JsonParser.parseString(raw);
            if (!json.isJsonObject()) {
                return Result.failed("not a mapping");
            }
            object = json.getAsJsonObject();
        } catch (JsonParseException e) {
            return Result.failed("not a mapping");
        }
        if (object.size() == 0) {
            return new Result(Settings.FairShare.NONE, Optional.empty());
        }
        var unknown = object.keySet().stream()
                .filter(k -> !Set.of(SHARES, SHARE_DECAY_SECONDS, COMPUTE_RESERVATION).contains(k)).toList();
        if (!unknown.isEmpty()) {
            return Result.failed("unknown fields " + unknown);
        }
        var shares = new ArrayList<Settings.FairShare.Share>();
        var list = object.get(SHARES);
        if (list != null && !list.isJsonArray()) {
            return Result.failed(SHARES + " is not a list");
        }
        if (list != null) {
            for (var element : list.getAsJsonArray()) {
                var share = share(element);
                if (share.isEmpty()) {
                    return Result.failed("each share is a mapping of " + ID + " (a string) and an optional "
                            + WEIGHT + " (a number, " + Settings.FairShare.DEFAULT_WEIGHT + " if left out), got "
                            + element);
                }
                shares.add(share.get());
            }
        }
        var decay = integer(object.get(SHARE_DECAY_SECONDS));
        var reservation = integer(object.get(COMPUTE_RESERVATION));
        if (decay.isEmpty() || reservation.isEmpty()) {
            return Result.failed((decay.isEmpty() ? SHARE_DECAY_SECONDS : COMPUTE_RESERVATION)
                    + " is not a whole number");
        }
        return new Result(new Settings.FairShare(true, shares, decay.get(), reservation.get()), Optional.empty());
    }

    private static Optional<Settings.FairShare.Share> share(JsonElement element) {
        if (!element.isJsonObject()) {
            return Optional.empty();
        }
        var share = element.getAsJsonObject();
        var id = share.get(ID);
        if (id == null || !id.isJsonPrimitive() || !id.getAsJsonPrimitive().isString()
                || !Set.of(ID, WEIGHT).containsAll(share.keySet())) {
            return Optional.empty();
        }
        var weight = share.get(WEIGHT);
        if (weight == null) {
            return Optional.of(new Settings.FairShare.Share(id.getAsString(), Settings.FairShare.DEFAULT_WEIGHT));
        }
        // The CLI hands numbers set with --path as strings ("0.5").
        if (!weight.isJsonPrimitive() || weight.getAsJsonPrimitive().isBoolean()) {
            return Optional.empty();
        }
        try {
            var value = new BigDecimal(weight.getAsString().trim());
            return Optional.of(new Settings.FairShare.Share(id.getAsString(), value.doubleValue()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** 0 when the field is absent (AWS's default for both fields). */
    private static Optional<Integer> integer(JsonElement element) {
        if (element == null) {
            return Optional.of(0);
        }
        var text = element.isJsonPrimitive() && !element.getAsJsonPrimitive().isBoolean()
                ? element.getAsString().trim() : "";
        if (!INTEGER.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }
}
