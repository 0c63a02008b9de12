package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void bodiesComeInWhileTheyFitAndOneLargerThanTheBudgetNever() {
        BodyBudget budget = new BodyBudget(100);
        assertTrue(budget.tryAcquire(60));
        assertTrue(budget.tryAcquire(40));
        assertFalse(budget.tryAcquire(1), "full");
        budget.release(60);
        assertFalse(budget.tryAcquire(70), "40 + 70 is over");
        assertTrue(budget.tryAcquire(60));
        budget.release(60);
        budget.release(40);
        assertEquals(0, budget.held());
        assertTrue(budget.fits(100));
        assertTrue(budget.tryAcquire(100), "a body as large as the budget comes in alone");
        budget.release(100);
        // a regression: one body larger than the budget came in whenever nothing else was in flight, and a 60 MB
        // prompt then ran a 512 MiB heap out of memory (500); the edge now refuses it as too large
        assertFalse(budget.fits(101));
        assertFalse(budget.tryAcquire(101));
        assertEquals(0, budget.held());
    }
}
