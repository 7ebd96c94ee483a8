package org.personalab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the layering of DEVELOPERS.md: JavaFX only in ui, SQL only in store, nothing below ui depends on ui. */
class ArchitectureTest {

    static JavaClasses classes;

    @BeforeAll
    static void load() {
        // DO_NOT_INCLUDE_TESTS only knows target/test-classes; parallel builds use -DbuildDir=target-x
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("org.personalab");
        // the rules below pass vacuously on an empty import: make sure the production code was found
        assertTrue(classes.size() > 100, "imported only " + classes.size() + " classes");
        assertTrue(classes.contain("org.personalab.ui.WorkbenchLauncher"));
        assertTrue(classes.contain("org.personalab.store.Workspace"));
    }

    @Test
    void javafxOnlyInUi() {
        noClasses().that().resideOutsideOfPackage("org.personalab.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "eu.hansolo..")
                .because("the FX layer is ui; model and logic stay testable without a window")
                .check(classes);
    }

    @Test
    void sqlOnlyInStore() {
        noClasses().that().resideOutsideOfPackage("org.personalab.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
                .because("all SQL lives behind the store's repositories")
                .check(classes);
    }

    @Test
    void onlyTheEntryPointsDependOnUi() {
        noClasses().that().resideOutsideOfPackages("org.personalab.ui..", "org.personalab.cli..")
                .and().doNotHaveFullyQualifiedName("org.personalab.Main")
                .should().dependOnClassesThat().resideInAPackage("org.personalab.ui..")
                .check(classes);
    }

    @Test
    void featureLogicDoesNotReachUpIntoServicesOrTheCommandLine() {
        noClasses().that().resideInAnyPackage("org.personalab.cluster..", "org.personalab.spec..",
                "org.personalab.sim..", "org.personalab.eval..", "org.personalab.judge..", "org.personalab.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.personalab.store..",
                        "org.personalab.service..", "org.personalab.cli..")
                .because("the logic is testable on plain values; services wire it to the workspace")
                .check(classes);
    }

    @Test
    void modelPackagesDoNotReachUpIntoServicesOrStore() {
        noClasses().that().resideInAnyPackage("org.personalab.inventory..", "org.personalab.data..",
                "org.personalab.profile..", "org.personalab.task..")
                .should().dependOnClassesThat().resideInAnyPackage("org.personalab.store..",
                        "org.personalab.service..", "org.personalab.cli..")
                .check(classes);
    }
}
