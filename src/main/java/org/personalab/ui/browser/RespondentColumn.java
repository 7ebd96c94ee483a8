package org.personalab.ui.browser;

import java.util.ArrayList;
import java.util.List;
import org.personalab.inventory.Domain;
import org.personalab.inventory.Scale;

/**
 * A column of the respondent table: id, sex, age, country, or the score or level of a scale.
 *
 * @param kind  what the column shows
 * @param scale the scale of a SCORE or LEVEL column, else null
 */
public record RespondentColumn(Kind kind, Scale scale) {

    public enum Kind { ID, SEX, AGE, COUNTRY, SCORE, LEVEL }

    public static final RespondentColumn ID = new RespondentColumn(Kind.ID, null);
    public static final RespondentColumn SEX = new RespondentColumn(Kind.SEX, null);
    public static final RespondentColumn AGE = new RespondentColumn(Kind.AGE, null);
    public static final RespondentColumn COUNTRY = new RespondentColumn(Kind.COUNTRY, null);

    public static RespondentColumn score(Scale s) {
        return new RespondentColumn(Kind.SCORE, s);
    }

    public static RespondentColumn level(Scale s) {
        return new RespondentColumn(Kind.LEVEL, s);
    }

    /** The table's columns: id, sex, age, country, the five domain scores, the five domain levels. */
    public static List<RespondentColumn> tableColumns() {
        List<RespondentColumn> out = new ArrayList<>(List.of(ID, SEX, AGE, COUNTRY));
        for (Domain d : Domain.values()) {
            out.add(score(Scale.of(d)));
        }
        for (Domain d : Domain.values()) {
            out.add(level(Scale.of(d)));
        }
        return out;
    }

    public String header() {
        return switch (kind) {
            case ID -> "ID";
            case SEX -> "Sex";
            case AGE -> "Age";
            case COUNTRY -> "Country";
            case SCORE -> scale.name();
            case LEVEL -> scale.name() + " level";
        };
    }

    public String description() {
        return switch (kind) {
            case SCORE -> scale.displayName() + " score (1–5)";
            case LEVEL -> scale.displayName() + " level within the respondent's norm group";
            default -> header();
        };
    }
}
