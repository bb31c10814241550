import { expect, test } from '@playwright/test';

test('creates a project that survives a reload, and shows what WebGPU reports', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Projects' })).toBeVisible();

  // What the page itself sees from WebGPU, to compare with the panel.
  const adapter = await page.evaluate(async () => {
    const a = await navigator.gpu?.requestAdapter();
    if (!a) return null;
    const info = a.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    return { f16: a.features.has('shader-f16'), fallback: info.isFallbackAdapter === true };
  });
  expect(adapter).not.toBeNull(); // --enable-unsafe-webgpu gives SwiftShader
  await expect(page.getByTestId('gpu-headline')).toHaveText(adapter?.fallback ? 'WebGPU works, on a software adapter.' : 'WebGPU is ready.');
  await expect(page.getByTestId('gpu-f16')).toHaveText(adapter?.f16 ? 'yes' : 'no');
  await expect(page.getByTestId('environment')).toContainText(adapter?.f16 ? 'q4f16' : 'only q4f32 model builds will work here');

  await page.getByLabel('Project name').fill('Debian reference');
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-title')).toHaveText('Debian reference');
  await expect(page).toHaveURL(/#\/p\/p_[0-9a-f]+\/seed$/);
  await expect(page.getByRole('navigation', { name: 'Steps' }).getByRole('link')).toHaveText([
    '1 Seed', '2 Corpus', '3 Generate instructions', '4 Rate', 'Rewrite (optional)', '5 Review', '6 Export / Train',
  ]);

  await page.reload();
  await expect(page.getByTestId('project-title')).toHaveText('Debian reference');
  await page.goto('/');
  await expect(page.getByTestId('project-link')).toHaveText(['Debian reference']);

  // Keyboard: Alt+→ walks to the next step.
  await page.getByTestId('project-link').click();
  await page.keyboard.press('Alt+ArrowRight');
  await expect(page).toHaveURL(/\/corpus$/);

  // Deleting asks first, then removes the project.
  await page.goto('/');
  await page.getByRole('button', { name: 'Delete Debian reference' }).click();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('No projects yet.')).toBeVisible();
});
