(** * Reflective checkers, one per certificate kind, and their soundness theorems over the reals.

    Every theorem below has the form [check_K pb θ hints = true -> P (L pb) θ] where [L pb : list R -> R] is the
    real loss of problem [pb] (Loss.v) and [P] is one of the plain statements defined here.  A certificate
    instance file holds only data (the problem's numbers, the point, the hints) and proves [P] by [vm_compute]
    of the boolean check.  Points and hints are rational; distances are the max-norm. *)
From Coq Require Import List QArith Qabs Qreals Reals Lra Lia.
From Spurious Require Import Loss Poly1 Taylor.
Import ListNotations.
Local Open Scope R_scope.

(** ** The statements *)

(** θ' lies within ε of θ in every coordinate. *)
Definition near (th' : list R) (th : list Q) (eps : R) : Prop :=
  length th' = length th /\ Forall2 (fun a b => Rabs (a - Q2R b) < eps) th' th.

(** θ + t·v. *)
Definition along (th : list Q) (v : list R) (t : R) : list R := shift th (map (Rmult t) v).

(** ∇L(θ) = 0: every directional derivative at θ is 0. *)
Definition critical (f : list R -> R) (th : list Q) : Prop :=
  forall v, length v = length th -> derivable_pt_lim (fun t => f (along th v t)) 0 0.

(** Points arbitrarily close to θ with lower (higher) value. *)
Definition lower_nearby (f : list R -> R) (th : list Q) : Prop :=
  forall eps, 0 < eps -> exists th', near th' th eps /\ f th' < f (map Q2R th).
Definition higher_nearby (f : list R -> R) (th : list Q) : Prop :=
  forall eps, 0 < eps -> exists th', near th' th eps /\ f th' > f (map Q2R th).

(** A direction of negative curvature: f(θ + t v) ≤ f(θ) − c t² near t = 0. *)
Definition negative_curvature (f : list R -> R) (th : list Q) : Prop :=
  exists v c delta, length v = length th /\ 0 < c /\ 0 < delta /\
    forall t, Rabs t < delta -> f (along th v t) <= f (map Q2R th) - c * t ^ 2.

(** No direction of negative curvature (the Hessian is positive semi-definite). *)
Definition no_negative_curvature (f : list R -> R) (th : list Q) : Prop :=
  forall v, length v = length th -> forall eps, 0 < eps -> exists delta, 0 < delta /\
    forall t, Rabs t < delta -> f (along th v t) >= f (map Q2R th) - eps * t ^ 2.

Definition strict_saddle (f : list R -> R) (th : list Q) : Prop :=
  critical f th /\ negative_curvature f th /\ lower_nearby f th /\ higher_nearby f th.

Definition non_strict_saddle (f : list R -> R) (th : list Q) : Prop :=
  critical f th /\ no_negative_curvature f th /\ lower_nearby f th /\ higher_nearby f th.

(** A strict local minimum: every other point within δ has a higher value. *)
Definition strict_local_min (f : list R -> R) (th : list Q) : Prop :=
  exists delta, 0 < delta /\ forall th', near th' th delta -> th' <> map Q2R th -> f (map Q2R th) < f th'.

Definition spurious_local_min (f : list R -> R) (th w : list Q) : Prop :=
  strict_local_min f th /\ length w = length th /\ f (map Q2R w) < f (map Q2R th).

Definition global_min (f : list R -> R) (n : nat) (th : list Q) : Prop :=
  length th = n /\ forall th', f (map Q2R th) <= f th'.

(** ** The checks *)

Definition Qlt_bool (a b : Q) : bool := negb (Qle_bool b a).

Definition nparams (pb : problem) : nat :=
  match p_arch pb with
  | DeepLinear ws => fold_left Nat.add (map (fun p => (fst p * snd p)%nat) (combine ws (tl ws))) 0%nat
  | TwoLayer n p dy _ U => (p * n + match U with Some _ => 0 | None => dy * p end)%nat
  end.

Definition taylor (pb : problem) (th : list Q) : tm := loss Tops pb (tm_params th).
Definition qloss (pb : problem) (th : list Q) : Q := loss Qops pb th.

Definition check_critical_tm (pb : problem) (th : list Q) (t : tm) : bool :=
  Nat.eqb (length th) (nparams pb) && vzero (t1 t).
Definition check_critical (pb : problem) (th : list Q) : bool := check_critical_tm pb th (taylor pb th).

(** vᵀAv for a rational v (rows of A zero-padded). *)
Fixpoint qdot (g v : list Q) : Q :=
  match g, v with a :: g', x :: v' => Qred (a * x + qdot g' v') | _, _ => 0%Q end.
Definition qquad (A : list (list Q)) (v : list Q) : Q := qdot (map (fun r => qdot r v) A) v.

(** A sum of squares: A − Σ_k d_k ℓ_k ℓ_kᵀ is the zero matrix and every d_k ≥ 0. *)
Fixpoint sos_matrix (terms : list (Q * list Q)) : list (list Q) :=
  match terms with [] => [] | (d, l) :: r => madd (mscale d (outer l l)) (sos_matrix r) end.
Definition check_sos (A : list (list Q)) (terms : list (Q * list Q)) : bool :=
  forallb (fun dl => Qle_bool 0 (fst dl)) terms && mzero (madd A (mscale (-1) (sos_matrix terms))).
(** μ·I as the squares of the unit vectors. *)
Definition mu_terms (mu : Q) (n : nat) : list (Q * list Q) := map (fun i => (mu, unit i)) (seq 0 n).

Definition curve_polys (th : list Q) (curve : list (list Q)) : list poly :=
  map (fun i => nth i th 0%Q :: map (fun c => nth i c 0%Q) curve) (seq 0 (length th)).
Definition curve_loss (pb : problem) (th : list Q) (curve : list (list Q)) : poly :=
  loss Pops pb (curve_polys th curve).

(** A descent (ascent) curve: the lowest non-zero term a_k t^k of f(t) − f(0) has a_k < 0 (> 0) or k odd. *)
Definition check_descent_curve (pb : problem) (th : list Q) (curve : list (list Q)) : bool :=
  match lowest_term (curve_loss pb th curve) with
  | Some (k, a) => Qlt_bool a 0 || Nat.odd k
  | None => false
  end.
Definition check_ascent_curve (pb : problem) (th : list Q) (curve : list (list Q)) : bool :=
  match lowest_term (curve_loss pb th curve) with
  | Some (k, a) => Qlt_bool 0 a || Nat.odd k
  | None => false
  end.

Inductive ascent := AscentDirection (u : list Q) | AscentCurve (c : list (list Q)).

Definition check_ascent (pb : problem) (th : list Q) (t : tm) (a : ascent) : bool :=
  match a with
  | AscentDirection u => Nat.eqb (length u) (length th) && Qlt_bool 0 (qquad (t2 t) u)
  | AscentCurve c => check_ascent_curve pb th c
  end.

Definition check_strict_saddle (pb : problem) (th v : list Q) (a : ascent) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && Nat.eqb (length v) (length th)
  && Qlt_bool (qquad (t2 t) v) 0 && check_ascent pb th t a.

Definition check_non_strict_saddle (pb : problem) (th : list Q) (psd : list (Q * list Q))
    (descent : list (list Q)) (a : ascent) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && check_sos (t2 t) psd
  && check_descent_curve pb th descent && check_ascent pb th t a.

Definition check_local_min (pb : problem) (th : list Q) (mu : Q) (terms : list (Q * list Q)) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && Qlt_bool 0 mu && check_sos (t2 t) (mu_terms mu (length th) ++ terms).

Definition check_spurious_local_min (pb : problem) (th : list Q) (mu : Q) (terms : list (Q * list Q))
    (w : list Q) : bool :=
  check_local_min pb th mu terms && Nat.eqb (length w) (length th) && Qlt_bool (qloss pb w) (qloss pb th).

(** ℓ ≥ 0 on R: square, mse, even powers, and polynomials in e² with non-negative coefficients. *)
Fixpoint even_nonneg (c : list Q) : bool :=
  match c with
  | [] => true
  | [a] => Qle_bool 0 a
  | a :: b :: r => Qle_bool 0 a && Qeq_bool b 0 && even_nonneg r
  end.
Definition fit_nonneg (f : fit) : bool :=
  match f with Square | MSE => true | Power k => Nat.even k | PolyFit c => even_nonneg c end.

Definition check_global_min (pb : problem) (th : list Q) : bool :=
  Nat.eqb (length th) (nparams pb) && fit_nonneg (p_fit pb) && forallb (Qle_bool 0) (p_lam pb)
  && Qeq_bool (qloss pb th) 0.

(** The claimed loss value: L(θ) = q. *)
Definition check_value (pb : problem) (th : list Q) (q : Q) : bool := Qeq_bool (qloss pb th) q.

(** ** Soundness *)

(** *** Small facts about Q2R, lists and the max-norm *)
Lemma Q2R_0 : Q2R 0 = 0.
Proof. unfold Q2R; simpl; lra. Qed.
Lemma Q2R_1 : Q2R 1 = 1.
Proof. unfold Q2R; simpl; lra. Qed.
Lemma Q2R_nonneg : forall q, (0 <= q)%Q -> 0 <= Q2R q.
Proof. intros q H; rewrite <- Q2R_0; apply Qle_Rle; auto. Qed.
Lemma Q2R_Qred : forall q, Q2R (Qred q) = Q2R q.
Proof. intro q; apply Qeq_eqR, Qred_correct. Qed.
Lemma Qlt_bool_true : forall a b, Qlt_bool a b = true -> Q2R a < Q2R b.
Proof.
  intros a b H; unfold Qlt_bool in H; apply Qlt_Rlt.
  destruct (Qlt_le_dec a b) as [h|h]; auto.
  apply Qle_bool_iff in h; rewrite h in H; discriminate.
Qed.
Lemma Qeq_bool_R : forall a b, Qeq_bool a b = true -> Q2R a = Q2R b.
Proof. intros a b H; apply Qeq_eqR, Qeq_bool_eq; auto. Qed.
Lemma Qle_bool_R : forall a b, Qle_bool a b = true -> Q2R a <= Q2R b.
Proof. intros a b H; apply Qle_Rle, Qle_bool_iff; auto. Qed.

Lemma lt_div : forall a b c, 0 < c -> a < b / c -> a * c < b.
Proof.
  intros a b c Hc H. apply Rmult_lt_compat_r with (r := c) in H; auto.
  unfold Rdiv in H. rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. auto.
Qed.
Lemma lt_inv : forall a c, 0 < c -> a < / c -> a * c < 1.
Proof. intros a c Hc H. apply lt_div; auto. unfold Rdiv; rewrite Rmult_1_l; auto. Qed.

Lemma abs_le_both : forall x y, Rabs x <= y -> - y <= x /\ x <= y.
Proof.
  intros x y H. pose proof (Rle_abs x). pose proof (Rle_abs (- x)). rewrite Rabs_Ropp in H1. lra.
Qed.

Definition vmax (v : list R) : R := fold_right (fun x m => Rmax (Rabs x) m) 0 v.
Lemma vmax_nonneg : forall v, 0 <= vmax v.
Proof. induction v; simpl; [lra | apply Rle_trans with (vmax v); auto; apply Rmax_r]. Qed.
Lemma vmax_bound : forall v, Forall (fun x => Rabs x <= vmax v) v.
Proof.
  induction v as [|a v IH]; simpl; constructor; [apply Rmax_l|].
  eapply Forall_impl; [|exact IH]; intros x Hx; simpl in Hx; eapply Rle_trans; [exact Hx | apply Rmax_r].
Qed.
Lemma vmax_lt : forall v e, Forall (fun x => Rabs x < e) v -> 0 < e -> vmax v < e.
Proof. induction 1; intros; simpl; [auto | apply Rmax_lub_lt; auto]. Qed.
Lemma vmax_zero : forall v, vmax v = 0 -> Forall (fun x => x = 0) v.
Proof.
  induction v as [|a v IH]; simpl; intros H; constructor.
  - assert (Rabs a <= 0) by (rewrite <- H; apply Rmax_l). pose proof (Rabs_pos a).
    destruct (Req_dec a 0); auto. pose proof (Rabs_pos_lt a H2); lra.
  - apply IH. pose proof (vmax_nonneg v). assert (vmax v <= 0) by (rewrite <- H; apply Rmax_r). lra.
Qed.

Lemma small_scale : forall v t, Rabs t * vmax v <= 1 -> small (map (Rmult t) v) (Rabs t * vmax v).
Proof.
  intros v t H; split; [split; [apply Rmult_le_pos; [apply Rabs_pos | apply vmax_nonneg] | auto]|].
  apply Forall_map. eapply Forall_impl; [|apply vmax_bound]. intros x Hx; simpl.
  rewrite Rabs_mult; apply Rmult_le_compat_l; [apply Rabs_pos | auto].
Qed.

Lemma along_length : forall th v t, length v = length th -> length (along th v t) = length th.
Proof.
  intros th v t H; unfold along, shift. rewrite map_length, combine_length, map_length, H. apply Nat.min_id.
Qed.

Lemma near_along : forall th v t eps, length v = length th -> Rabs t * vmax v < eps -> near (along th v t) th eps.
Proof.
  intros th v t eps Hl Ht; split; [apply along_length; auto|].
  unfold along, shift. pose proof (vmax_bound v) as B. revert v Hl B Ht.
  induction th as [|a th IH]; intros [|x v] Hl B Ht; simpl in *; try discriminate; constructor.
  - inversion B; subst. replace (Q2R a + t * x - Q2R a) with (t * x) by ring. rewrite Rabs_mult.
    eapply Rle_lt_trans; [|exact Ht]. apply Rmult_le_compat_l; [apply Rabs_pos | auto].
  - apply IH; [auto | apply vmax_bound |].
    eapply Rle_lt_trans; [|exact Ht]. apply Rmult_le_compat_l; [apply Rabs_pos | apply Rmax_r].
Qed.

Lemma shift_zero : forall th, shift th (map (Rmult 0) (map Q2R th)) = map Q2R th.
Proof. unfold shift; induction th as [|a th IH]; simpl; auto. f_equal; [ring | exact IH]. Qed.

Lemma along_0 : forall th v, length v = length th -> along th v 0 = map Q2R th.
Proof.
  unfold along, shift; induction th as [|a th IH]; intros [|x v] H; simpl in *; try discriminate; auto.
  f_equal; [ring | apply IH; auto].
Qed.

(** *** The Taylor model at a critical point *)
Lemma taylor_at : forall pb th h n, vzero (t1 (taylor pb th)) = true -> small h n -> length h = length th ->
  Rabs (L pb (shift th h) - Q2R (t0 (taylor pb th)) - quad (t2 (taylor pb th)) h)
    <= Q2R (tb (taylor pb th)) * n ^ 3.
Proof.
  intros pb th h n Hz Hs Hl. pose proof (loss_T pb th h n Hs Hl) as T.
  unfold tm_rel, tm_eval in T. rewrite (dotQR_zero _ _ Hz) in T. unfold taylor.
  replace (L pb (shift th h) - Q2R (t0 (loss Tops pb (tm_params th))) - quad (t2 (loss Tops pb (tm_params th))) h)
    with (L pb (shift th h) - (Q2R (t0 (loss Tops pb (tm_params th))) + 0 + quad (t2 (loss Tops pb (tm_params th))) h))
    by ring. exact T.
Qed.

Lemma taylor_value : forall pb th, vzero (t1 (taylor pb th)) = true -> L pb (map Q2R th) = Q2R (t0 (taylor pb th)).
Proof.
  intros pb th Hz.
  assert (Hs : small (map (Rmult 0) (map Q2R th)) 0).
  { split; [lra|]. apply Forall_forall. intros x Hx. apply in_map_iff in Hx as [y [<- _]].
    rewrite Rmult_0_l, Rabs_R0; lra. }
  assert (Hl : length (map (Rmult 0) (map Q2R th)) = length th) by (rewrite !map_length; auto).
  pose proof (taylor_at pb th _ 0 Hz Hs Hl) as T. rewrite shift_zero in T.
  rewrite quad_scale in T. replace (0 ^ 3) with 0 in T by ring. rewrite Rmult_0_r in T.
  pose proof (Rabs_pos (L pb (map Q2R th) - Q2R (t0 (taylor pb th)) - 0 ^ 2 * quad (t2 (taylor pb th)) (map Q2R th))).
  assert (E : Rabs (L pb (map Q2R th) - Q2R (t0 (taylor pb th)) - 0 ^ 2 * quad (t2 (taylor pb th)) (map Q2R th)) = 0) by lra.
  replace (0 ^ 2) with 0 in E by ring.
  destruct (Req_dec (L pb (map Q2R th) - Q2R (t0 (taylor pb th)) - 0 * quad (t2 (taylor pb th)) (map Q2R th)) 0) as [E'|E'].
  - lra.
  - apply Rabs_no_R0 in E'. contradiction.
Qed.

(** Along a line θ + t v: f(t) = f(0) + t² q(v) + O(t³), with the constant. *)
Lemma line_expansion : forall pb th v t, vzero (t1 (taylor pb th)) = true -> length v = length th ->
  Rabs t * vmax v <= 1 ->
  Rabs (L pb (along th v t) - L pb (map Q2R th) - t ^ 2 * quad (t2 (taylor pb th)) v)
    <= Q2R (tb (taylor pb th)) * (Rabs t * vmax v) ^ 3.
Proof.
  intros pb th v t Hz Hl Ht. rewrite (taylor_value pb th Hz), <- quad_scale.
  apply taylor_at; auto; [apply small_scale; auto | rewrite map_length; auto].
Qed.

(** Where q(v) ≠ 0, f(t) − f(0) is t² q(v) up to half of it. *)
Lemma curvature_sign : forall pb th v, vzero (t1 (taylor pb th)) = true -> length v = length th ->
  quad (t2 (taylor pb th)) v <> 0 ->
  exists delta, 0 < delta /\ forall t, Rabs t < delta ->
    Rabs (L pb (along th v t) - L pb (map Q2R th) - t ^ 2 * quad (t2 (taylor pb th)) v)
      <= t ^ 2 * Rabs (quad (t2 (taylor pb th)) v) / 2.
Proof.
  intros pb th v Hz Hl Hq. set (q := quad (t2 (taylor pb th)) v). set (B := Q2R (tb (taylor pb th))).
  set (V := vmax v). assert (HV : 0 <= V) by apply vmax_nonneg. assert (HB : 0 <= B) by apply tb_nonneg.
  assert (Hq' : 0 < Rabs q) by (apply Rabs_pos_lt; auto).
  assert (HBV : 0 <= B * V ^ 3) by (apply Rmult_le_pos; auto; apply pow_le; auto).
  exists (Rmin (/ (V + 1)) (Rabs q / (2 * (B * V ^ 3 + 1)))). split.
  { apply Rmin_pos; [apply Rinv_0_lt_compat; lra | apply Rdiv_lt_0_compat; lra]. }
  intros t Ht. assert (H1 : Rabs t < / (V + 1)) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_l]).
  assert (H2 : Rabs t < Rabs q / (2 * (B * V ^ 3 + 1))) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_r]).
  assert (Ha : 0 <= Rabs t) by apply Rabs_pos.
  assert (HtV : Rabs t * V <= 1).
  { apply lt_inv in H1; [nra | lra]. }
  eapply Rle_trans; [apply line_expansion; auto|]. fold B V q.
  replace ((Rabs t * V) ^ 3) with (Rabs t ^ 2 * (Rabs t * V ^ 3)) by ring.
  rewrite <- (pow2_abs t). 
  assert (H3 : Rabs t * (B * V ^ 3 + 1) <= Rabs q / 2).
  { apply lt_div in H2; [lra | lra]. }
  assert (H4 : B * (Rabs t ^ 2 * (Rabs t * V ^ 3)) = Rabs t ^ 2 * (Rabs t * (B * V ^ 3))) by ring.
  rewrite H4. unfold Rdiv. rewrite Rmult_assoc. apply Rmult_le_compat_l; [apply pow_le; auto|]. nra.
Qed.

Lemma qdot_correct : forall g v, Q2R (qdot g v) = dotQR g (map Q2R v).
Proof.
  induction g as [|a g IH]; intros [|x v]; cbn [qdot dotQR map]; try rewrite Q2R_0; auto.
  rewrite Q2R_Qred, Q2R_plus, Q2R_mult, IH; auto.
Qed.
Lemma qdotR_correct : forall A w v,
  Q2R (qdot (map (fun r => qdot r w) A) v) = dotRR (map (fun r => dotQR r (map Q2R w)) A) (map Q2R v).
Proof.
  intros A w. induction A as [|r A IH]; intros [|x v]; cbn [qdot dotRR map]; try rewrite Q2R_0; auto.
  rewrite Q2R_Qred, Q2R_plus, Q2R_mult, qdot_correct, IH; auto.
Qed.
Lemma qquad_correct : forall A v, Q2R (qquad A v) = quad A (map Q2R v).
Proof. intros A v; unfold qquad, quad; apply qdotR_correct. Qed.

(** *** Moving along a line *)
Lemma line_lower : forall pb th v, vzero (t1 (taylor pb th)) = true -> length v = length th ->
  quad (t2 (taylor pb th)) v < 0 ->
  negative_curvature (L pb) th /\ lower_nearby (L pb) th.
Proof.
  intros pb th v Hz Hl Hq. destruct (curvature_sign pb th v Hz Hl) as [d [Hd Ht]]; [lra|].
  set (q := quad (t2 (taylor pb th)) v) in *. rewrite Rabs_left in Ht by auto.
  split.
  - exists v, (- q / 2), d. repeat split; auto; [lra|]. intros t Htd. specialize (Ht t Htd).
    apply abs_le_both in Ht. pose proof (pow2_ge_0 t). nra.
  - intros eps Heps. set (V := vmax v). assert (0 <= V) by apply vmax_nonneg.
    set (t := Rmin (d / 2) (eps / (2 * (V + 1)))).
    assert (Ht0 : 0 < t) by (apply Rmin_pos; apply Rdiv_lt_0_compat; lra).
    assert (Htd : Rabs t < d) by (rewrite Rabs_pos_eq by lra; eapply Rle_lt_trans; [apply Rmin_l | lra]).
    exists (along th v t). split.
    + apply near_along; auto. rewrite Rabs_pos_eq by lra.
      assert (t <= eps / (2 * (V + 1))) by apply Rmin_r.
      apply Rle_lt_trans with (eps / (2 * (V + 1)) * V); [apply Rmult_le_compat_r; auto|].
      unfold Rdiv. apply Rmult_lt_reg_r with (2 * (V + 1)); [lra|].
      replace (eps * / (2 * (V + 1)) * V * (2 * (V + 1))) with (eps * V * ((2 * (V + 1)) * / (2 * (V + 1)))) by ring.
      rewrite Rinv_r by lra. nra.
    + specialize (Ht t Htd). apply abs_le_both in Ht. assert (0 < t ^ 2) by (apply pow_lt; lra). nra.
Qed.

Lemma line_higher : forall pb th v, vzero (t1 (taylor pb th)) = true -> length v = length th ->
  quad (t2 (taylor pb th)) v > 0 -> higher_nearby (L pb) th.
Proof.
  intros pb th v Hz Hl Hq. destruct (curvature_sign pb th v Hz Hl) as [d [Hd Ht]]; [lra|].
  set (q := quad (t2 (taylor pb th)) v) in *. rewrite Rabs_pos_eq in Ht by lra.
  intros eps Heps. set (V := vmax v). assert (0 <= V) by apply vmax_nonneg.
  set (t := Rmin (d / 2) (eps / (2 * (V + 1)))).
  assert (Ht0 : 0 < t) by (apply Rmin_pos; apply Rdiv_lt_0_compat; lra).
  assert (Htd : Rabs t < d) by (rewrite Rabs_pos_eq by lra; eapply Rle_lt_trans; [apply Rmin_l | lra]).
  exists (along th v t). split.
  + apply near_along; auto. rewrite Rabs_pos_eq by lra.
    assert (t <= eps / (2 * (V + 1))) by apply Rmin_r.
    apply Rle_lt_trans with (eps / (2 * (V + 1)) * V); [apply Rmult_le_compat_r; auto|].
    unfold Rdiv. apply Rmult_lt_reg_r with (2 * (V + 1)); [lra|].
    replace (eps * / (2 * (V + 1)) * V * (2 * (V + 1))) with (eps * V * ((2 * (V + 1)) * / (2 * (V + 1)))) by ring.
    rewrite Rinv_r by lra. nra.
  + specialize (Ht t Htd). apply abs_le_both in Ht. assert (0 < t ^ 2) by (apply pow_lt; lra). nra.
Qed.

Theorem critical_sound : forall pb th, check_critical pb th = true -> critical (L pb) th.
Proof.
  intros pb th H v Hl. unfold check_critical, check_critical_tm in H. apply andb_prop in H as [_ Hz].
  set (q := quad (t2 (taylor pb th)) v). set (B := Q2R (tb (taylor pb th))). set (V := vmax v).
  assert (HV : 0 <= V) by apply vmax_nonneg. assert (HB : 0 <= B) by apply tb_nonneg.
  assert (HBV : 0 <= B * V ^ 3) by (apply Rmult_le_pos; auto; apply pow_le; auto).
  intros eps Heps.
  assert (Hd : 0 < Rmin (Rmin 1 (/ (V + 1))) (eps / (Rabs q + B * V ^ 3 + 1))).
  { apply Rmin_pos; [apply Rmin_pos; [lra | apply Rinv_0_lt_compat; lra]|].
    apply Rdiv_lt_0_compat; [lra|]. pose proof (Rabs_pos q); lra. }
  exists (mkposreal _ Hd). intros t Ht0 Ht. simpl in Ht.
  assert (H1 : Rabs t < 1) by (eapply Rlt_le_trans; [exact Ht|]; eapply Rle_trans; [apply Rmin_l | apply Rmin_l]).
  assert (H2 : Rabs t < / (V + 1)) by (eapply Rlt_le_trans; [exact Ht|]; eapply Rle_trans; [apply Rmin_l | apply Rmin_r]).
  assert (H3 : Rabs t < eps / (Rabs q + B * V ^ 3 + 1)) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_r]).
  assert (Ha : 0 < Rabs t) by (apply Rabs_pos_lt; auto).
  assert (HtV : Rabs t * V <= 1).
  { apply lt_inv in H2; [nra | lra]. }
  rewrite Rplus_0_l. rewrite (along_0 th v Hl).
  pose proof (line_expansion pb th v t Hz Hl HtV) as E. fold q B V in E.
  replace ((L pb (along th v t) - L pb (map Q2R th)) / t - 0) with ((L pb (along th v t) - L pb (map Q2R th)) / t) by ring.
  unfold Rdiv. rewrite Rabs_mult, Rabs_inv.
  apply Rmult_lt_reg_r with (Rabs t); auto. rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra.
  apply Rle_lt_trans with (Rabs t ^ 2 * (Rabs q + B * V ^ 3 * Rabs t)).
  - apply abs_le_both in E as [E1 E2]. pose proof (Rabs_pos q).
    assert (Hq2 : Rabs (t ^ 2 * q) = Rabs t ^ 2 * Rabs q) by (rewrite Rabs_mult, <- RPow_abs; auto).
    assert (Hb : B * (Rabs t * V) ^ 3 = Rabs t ^ 2 * (B * V ^ 3 * Rabs t)) by ring.
    pose proof (Rabs_triang (L pb (along th v t) - L pb (map Q2R th) - t ^ 2 * q) (t ^ 2 * q)) as Tr.
    replace (L pb (along th v t) - L pb (map Q2R th) - t ^ 2 * q + t ^ 2 * q) with (L pb (along th v t) - L pb (map Q2R th)) in Tr by ring.
    assert (Rabs (L pb (along th v t) - L pb (map Q2R th) - t ^ 2 * q) <= B * (Rabs t * V) ^ 3)
      by (apply Rabs_le; lra). lra.
  - assert (H4 : Rabs t * (Rabs q + B * V ^ 3 + 1) < eps).
    { apply lt_div in H3; [lra | pose proof (Rabs_pos q); lra]. }
    assert (Rabs q + B * V ^ 3 * Rabs t <= Rabs q + B * V ^ 3 + 1) by nra.
    assert (Rabs t ^ 2 = Rabs t * Rabs t) by ring. nra.
Qed.
Lemma Forall2_eq_map_Q2R : forall th (l : list R), Forall2 (fun a b => a = Q2R b) l th -> l = map Q2R th.
Proof. intros th l H; induction H; simpl; f_equal; auto. Qed.

Lemma Q2R_abs : forall q, Q2R (Qabs q) = Rabs (Q2R q).
Proof.
  intros [n d]. unfold Qabs, Q2R; simpl. rewrite Rabs_mult, <- abs_IZR, Rabs_inv.
  rewrite (Rabs_pos_eq (IZR (Z.pos d))); auto. apply IZR_le; lia.
Qed.

Lemma abssum_R : forall c, Q2R (abssum c) = fold_right (fun a s => Rabs (Q2R a) + s) 0 c.
Proof. induction c; simpl; [apply Q2R_0 | rewrite Q2R_plus, Q2R_abs, IHc; auto]. Qed.

Lemma abssum_nonneg : forall c, 0 <= Q2R (abssum c).
Proof. intro c; rewrite abssum_R; induction c; simpl; [lra | pose proof (Rabs_pos (Q2R a)); lra]. Qed.

Lemma nth_abssum : forall i c, Rabs (Q2R (nth i c 0%Q)) <= Q2R (abssum c).
Proof.
  intros i c; rewrite abssum_R; revert i; induction c as [|a c IH]; intros [|i]; simpl.
  - rewrite Q2R_0, Rabs_R0; lra.
  - rewrite Q2R_0, Rabs_R0; lra.
  - pose proof (abssum_nonneg c); rewrite abssum_R in H; lra.
  - specialize (IH i); pose proof (Rabs_pos (Q2R a)); lra.
Qed.

Definition curve_bound (curve : list (list Q)) : R := fold_right (fun c s => Q2R (abssum c) + s) 0 curve.

Lemma tail_abssum : forall i curve, Q2R (abssum (map (fun c => nth i c 0%Q) curve)) <= curve_bound curve.
Proof.
  intros i curve; induction curve as [|c curve IH]; simpl; [rewrite Q2R_0; lra|].
  rewrite Q2R_plus, Q2R_abs. pose proof (nth_abssum i c). lra.
Qed.

Lemma Forall2_seq : forall (F : nat -> R) (P : R -> Q -> Prop) th k,
  (forall j, (j < length th)%nat -> P (F (k + j)%nat) (nth j th 0%Q)) -> Forall2 P (map F (seq k (length th))) th.
Proof.
  intros F P th; induction th as [|a th IH]; intros k H; simpl; constructor.
  - specialize (H 0%nat); rewrite Nat.add_0_r in H; apply H; simpl; lia.
  - apply IH. intros j Hj. replace (S k + j)%nat with (k + S j)%nat by lia. apply (H (S j)); simpl; lia.
Qed.

Definition curve_at (th : list Q) (curve : list (list Q)) (t : R) : list R :=
  map (fun c => peval c t) (curve_polys th curve).

Lemma curve_at_length : forall th curve t, length (curve_at th curve t) = length th.
Proof. intros; unfold curve_at, curve_polys; rewrite !map_length, seq_length; auto. Qed.

Lemma curve_at_near : forall th curve t, Rabs t <= 1 ->
  Forall2 (fun a b => Rabs (a - Q2R b) <= Rabs t * curve_bound curve) (curve_at th curve t) th.
Proof.
  intros th curve t Ht. unfold curve_at, curve_polys. rewrite map_map.
  apply (Forall2_seq (fun i => peval (nth i th 0%Q :: map (fun c => nth i c 0%Q) curve) t)).
  intros j _; simpl. replace (Q2R (nth j th 0%Q) + t * peval (map (fun c => nth j c 0%Q) curve) t - Q2R (nth j th 0%Q))
    with (t * peval (map (fun c => nth j c 0%Q) curve) t) by ring.
  rewrite Rabs_mult. apply Rmult_le_compat_l; [apply Rabs_pos|].
  eapply Rle_trans; [apply peval_bound; auto | apply tail_abssum].
Qed.

Lemma curve_at_0 : forall th curve, curve_at th curve 0 = map Q2R th.
Proof.
  intros th curve. apply (Forall2_eq_map_Q2R th). unfold curve_at, curve_polys. rewrite map_map.
  apply (Forall2_seq (fun i => peval (nth i th 0%Q :: map (fun c => nth i c 0%Q) curve) 0)).
  intros j _; simpl; ring.
Qed.
Lemma F2_impl : forall (P Q : R -> Q -> Prop) l k, (forall x y, P x y -> Q x y) -> Forall2 P l k -> Forall2 Q l k.
Proof. intros P Q l k H F; induction F; constructor; auto. Qed.

Lemma curve_bound_nonneg : forall curve, 0 <= curve_bound curve.
Proof. induction curve; simpl; [lra | pose proof (abssum_nonneg a); lra]. Qed.

Lemma odd_pow_neg : forall k t, Nat.odd k = true -> t < 0 -> t ^ k < 0.
Proof.
  intros k t Hk Ht. apply Nat.odd_spec in Hk as [j ->].
  rewrite pow_add, pow_mult. assert (0 < (t ^ 2) ^ j) by (apply pow_lt; nra). simpl (t ^ 1). nra.
Qed.

Lemma curve_move : forall pb th curve k a, lowest_term (curve_loss pb th curve) = Some (k, a) ->
  forall eps, 0 < eps -> exists d, 0 < d /\ forall t, 0 < Rabs t < d ->
    near (curve_at th curve t) th eps /\
    Rabs (L pb (curve_at th curve t) - L pb (map Q2R th) - Q2R a * t ^ k) <= Rabs (Q2R a * t ^ k) / 2.
Proof.
  intros pb th curve k a Hlow eps Heps. destruct (lowest_sign _ _ _ Hlow) as [dl [Hdl Hs]].
  set (C := curve_bound curve). assert (HC : 0 <= C) by apply curve_bound_nonneg.
  exists (Rmin dl (Rmin 1 (eps / (C + 1)))). split.
  { apply Rmin_pos; auto. apply Rmin_pos; [lra | apply Rdiv_lt_0_compat; lra]. }
  intros t [Ht0 Ht]. assert (H1 : Rabs t < dl) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_l]).
  assert (H2 : Rabs t < 1) by (eapply Rlt_le_trans; [exact Ht|]; eapply Rle_trans; [apply Rmin_r | apply Rmin_l]).
  assert (H3 : Rabs t < eps / (C + 1)) by (eapply Rlt_le_trans; [exact Ht|]; eapply Rle_trans; [apply Rmin_r | apply Rmin_r]).
  apply lt_div in H3; [|lra]. split.
  - split; [apply curve_at_length|]. eapply F2_impl; [|apply curve_at_near; lra].
    intros x y Hxy; simpl in Hxy. fold C in Hxy. nra.
  - specialize (Hs t (conj Ht0 H1)). unfold curve_loss in Hs. rewrite !loss_P in Hs.
    fold (curve_at th curve t) in Hs. fold (curve_at th curve 0) in Hs. rewrite curve_at_0 in Hs. exact Hs.
Qed.

Lemma pick_t : forall k (a d : R), 0 < d -> a <> 0 -> (a < 0 \/ Nat.odd k = true) ->
  exists t, 0 < Rabs t < d /\ a * t ^ k < 0.
Proof.
  intros k a d Hd Ha [Hn|Ho].
  - exists (d / 2). rewrite Rabs_pos_eq by lra. split; [lra|]. assert (0 < (d / 2) ^ k) by (apply pow_lt; lra). nra.
  - destruct (Rlt_le_dec a 0) as [Hn|Hp].
    + exists (d / 2). rewrite Rabs_pos_eq by lra. split; [lra|]. assert (0 < (d / 2) ^ k) by (apply pow_lt; lra). nra.
    + exists (- (d / 2)). rewrite Rabs_Ropp, Rabs_pos_eq by lra. split; [lra|].
      assert ((- (d / 2)) ^ k < 0) by (apply odd_pow_neg; auto; lra). nra.
Qed.

Lemma Q2R_neq_0 : forall a, ~ (a == 0)%Q -> Q2R a <> 0.
Proof. intros a H E. apply H. apply eqR_Qeq. rewrite E, Q2R_0; auto. Qed.

Lemma descent_curve_sound : forall pb th curve, check_descent_curve pb th curve = true -> lower_nearby (L pb) th.
Proof.
  intros pb th curve H eps Heps. unfold check_descent_curve in H.
  destruct (lowest_term (curve_loss pb th curve)) as [[k a]|] eqn:Hlow; [|discriminate].
  destruct (lowest_term_spec _ _ _ Hlow) as [_ Ha]. apply Q2R_neq_0 in Ha.
  destruct (curve_move pb th curve k a Hlow eps Heps) as [d [Hd Hm]].
  destruct (pick_t k (Q2R a) d Hd Ha) as [t [Ht Hneg]].
  { apply orb_prop in H as [H|H]; [left; rewrite <- Q2R_0; apply Qlt_bool_true; auto | right; auto]. }
  destruct (Hm t Ht) as [Hn Hs]. exists (curve_at th curve t). split; auto.
  apply abs_le_both in Hs. rewrite Rabs_left in Hs by auto. lra.
Qed.

Lemma ascent_curve_sound : forall pb th curve, check_ascent_curve pb th curve = true -> higher_nearby (L pb) th.
Proof.
  intros pb th curve H eps Heps. unfold check_ascent_curve in H.
  destruct (lowest_term (curve_loss pb th curve)) as [[k a]|] eqn:Hlow; [|discriminate].
  destruct (lowest_term_spec _ _ _ Hlow) as [_ Ha]. apply Q2R_neq_0 in Ha.
  destruct (curve_move pb th curve k a Hlow eps Heps) as [d [Hd Hm]].
  destruct (pick_t k (- Q2R a) d Hd) as [t [Ht Hneg]]; [lra| |].
  { apply orb_prop in H as [H|H]; [left; apply Qlt_bool_true in H; rewrite Q2R_0 in H; lra | right; auto]. }
  destruct (Hm t Ht) as [Hn Hs]. exists (curve_at th curve t). split; auto.
  apply abs_le_both in Hs. rewrite Rabs_pos_eq in Hs by lra. lra.
Qed.

Lemma ascent_sound : forall pb th a, vzero (t1 (taylor pb th)) = true ->
  check_ascent pb th (taylor pb th) a = true -> higher_nearby (L pb) th.
Proof.
  intros pb th [u|c] Hz H; unfold check_ascent in H.
  - apply andb_prop in H as [Hl Hq]. apply Nat.eqb_eq in Hl. apply Qlt_bool_true in Hq.
    rewrite Q2R_0, qquad_correct in Hq. apply (line_higher pb th (map Q2R u)); auto. rewrite map_length; auto.
  - apply (ascent_curve_sound pb th c); auto.
Qed.

Theorem strict_saddle_sound : forall pb th v a,
  check_strict_saddle pb th v a = true -> strict_saddle (L pb) th.
Proof.
  intros pb th v a H. unfold check_strict_saddle in H.
  apply andb_prop in H as [H Ha]. apply andb_prop in H as [H Hq]. apply andb_prop in H as [Hc Hl].
  assert (Hz : vzero (t1 (taylor pb th)) = true) by (apply andb_prop in Hc as [_ Hz]; auto).
  apply Nat.eqb_eq in Hl. apply Qlt_bool_true in Hq. rewrite Q2R_0, qquad_correct in Hq.
  destruct (line_lower pb th (map Q2R v) Hz) as [Hn Hlo]; [rewrite map_length; auto | auto |].
  repeat split; auto.
  - apply critical_sound; auto.
  - eapply ascent_sound; eauto.
Qed.

(** *** Sums of squares *)
Definition sosval (terms : list (Q * list Q)) (h : list R) : R :=
  fold_right (fun dl s => Q2R (fst dl) * (dotQR (snd dl) h) ^ 2 + s) 0 terms.

Lemma quad_nil : forall h, quad [] h = 0.
Proof. intros [|x h]; reflexivity. Qed.

Lemma quad_sos_matrix : forall terms h, quad (sos_matrix terms) h = sosval terms h.
Proof.
  induction terms as [|[d l] terms IH]; intros h; simpl; [apply quad_nil|].
  rewrite quad_madd, quad_mscale, quad_outer, IH. ring.
Qed.

Lemma check_sos_sound : forall A terms, check_sos A terms = true ->
  (forall h, quad A h = sosval terms h) /\ (forall h, 0 <= sosval terms h).
Proof.
  intros A terms H. unfold check_sos in H. apply andb_prop in H as [Hd Hz]. split.
  - intros h. pose proof (quad_zero _ h Hz) as E. rewrite quad_madd, quad_mscale, quad_sos_matrix in E.
    replace (Q2R (-1)) with (-1) in E by (unfold Q2R; simpl; lra). lra.
  - intros h. clear Hz. induction terms as [|[d l] terms IH]; simpl; [lra|].
    simpl in Hd. apply andb_prop in Hd as [H1 H2]. apply Qle_bool_R in H1. rewrite Q2R_0 in H1.
    specialize (IH H2). assert (0 <= dotQR l h ^ 2) by (apply pow2_ge_0). nra.
Qed.

Lemma sosval_app : forall a b h, sosval (a ++ b) h = sosval a h + sosval b h.
Proof. induction a as [|x a IH]; intros; simpl; [ring | rewrite IH; ring]. Qed.

Lemma dotQR_unit : forall i h, dotQR (unit i) h = nth i h 0.
Proof.
  induction i as [|i IH]; intros [|x h]; simpl; auto.
  - rewrite Q2R_1. destruct h; simpl; ring.
  - unfold unit in IH. rewrite IH, Q2R_0. ring.
Qed.

Lemma sosval_mu : forall mu n h, sosval (mu_terms mu n) h = Q2R mu * fold_right (fun i s => nth i h 0 ^ 2 + s) 0 (seq 0 n).
Proof.
  intros mu n h. unfold mu_terms. generalize (seq 0 n). intros l.
  induction l as [|i l IH]; [simpl; ring|].
  change (sosval ((mu, unit i) :: map (fun i => (mu, unit i)) l) h
          = Q2R mu * (nth i h 0 ^ 2 + fold_right (fun i s => nth i h 0 ^ 2 + s) 0 l)).
  unfold sosval at 1; cbn [fold_right fst snd]. fold (sosval (map (fun i => (mu, unit i)) l) h).
  rewrite IH, dotQR_unit. ring.
Qed.

Lemma sum_term : forall (f : nat -> R) l j, (forall i, 0 <= f i) -> In j l -> f j <= fold_right (fun i s => f i + s) 0 l.
Proof.
  intros f l j Hf; induction l as [|i l IH]; simpl; [tauto|]. intros [->|Hin].
  - assert (0 <= fold_right (fun i s => f i + s) 0 l)
      by (clear IH; induction l; simpl; [lra | apply Rplus_le_le_0_compat; auto]). lra.
  - pose proof (Hf i); specialize (IH Hin); lra.
Qed.

Lemma vmax_attained : forall h, vmax h = 0 \/ exists j, (j < length h)%nat /\ vmax h = Rabs (nth j h 0).
Proof.
  induction h as [|x h IH]; [left; reflexivity|].
  change (vmax (x :: h)) with (Rmax (Rabs x) (vmax h)). unfold Rmax. destruct (Rle_dec (Rabs x) (vmax h)).
  - destruct IH as [IH|[j [Hj IH]]]; [left; auto | right; exists (S j); simpl; split; [lia | auto]].
  - right; exists 0%nat; simpl; split; [lia | auto].
Qed.

Lemma sumsq_vmax : forall h, vmax h ^ 2 <= fold_right (fun i s => nth i h 0 ^ 2 + s) 0 (seq 0 (length h)).
Proof.
  intros h. destruct (vmax_attained h) as [E|[j [Hj E]]].
  - rewrite E. replace (0 ^ 2) with 0 by ring.
    assert (forall l, 0 <= fold_right (fun i s => nth i h 0 ^ 2 + s) 0 l)
      by (induction l; simpl; [lra | apply Rplus_le_le_0_compat; [apply pow2_ge_0 | auto]]). auto.
  - rewrite E, pow2_abs.
    apply (sum_term (fun i => nth i h 0 ^ 2)); [intros; apply pow2_ge_0 | apply in_seq; lia].
Qed.

(** *** The difference θ' − θ *)
Definition diff (th' : list R) (th : list Q) : list R := map (fun p => fst p - Q2R (snd p)) (combine th' th).

Lemma diff_length : forall th' th, length th' = length th -> length (diff th' th) = length th.
Proof. intros; unfold diff; rewrite map_length, combine_length, H; apply Nat.min_id. Qed.

Lemma diff_shift : forall th' th, length th' = length th -> shift th (diff th' th) = th'.
Proof.
  unfold shift, diff; induction th' as [|a th' IH]; intros [|b th] H; simpl in *; try discriminate; auto.
  f_equal; [ring | apply IH; lia].
Qed.

Lemma diff_small : forall th' th d, Forall2 (fun a b => Rabs (a - Q2R b) < d) th' th ->
  Forall (fun x => Rabs x < d) (diff th' th).
Proof. unfold diff; induction 1; simpl; constructor; auto. Qed.

Lemma diff_zero : forall th' th, length th' = length th -> Forall (fun x => x = 0) (diff th' th) -> th' = map Q2R th.
Proof.
  unfold diff; induction th' as [|a th' IH]; intros [|b th] H Z; simpl in *; try discriminate; auto.
  inversion Z; subst. f_equal; [simpl in *; lra | apply IH; auto].
Qed.

Lemma psd_sound : forall pb th, vzero (t1 (taylor pb th)) = true ->
  (forall v, 0 <= quad (t2 (taylor pb th)) v) -> no_negative_curvature (L pb) th.
Proof.
  intros pb th Hz Hpsd v Hl eps Heps.
  set (q := quad (t2 (taylor pb th)) v). set (B := Q2R (tb (taylor pb th))). set (V := vmax v).
  assert (HV : 0 <= V) by apply vmax_nonneg. assert (HB : 0 <= B) by apply tb_nonneg.
  assert (HBV : 0 <= B * V ^ 3) by (apply Rmult_le_pos; auto; apply pow_le; auto).
  assert (Hq : 0 <= q) by apply Hpsd.
  exists (Rmin (/ (V + 1)) (eps / (B * V ^ 3 + 1))). split.
  { apply Rmin_pos; [apply Rinv_0_lt_compat; lra | apply Rdiv_lt_0_compat; lra]. }
  intros t Ht. assert (H1 : Rabs t < / (V + 1)) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_l]).
  assert (H2 : Rabs t < eps / (B * V ^ 3 + 1)) by (eapply Rlt_le_trans; [exact Ht | apply Rmin_r]).
  assert (Ha : 0 <= Rabs t) by apply Rabs_pos.
  assert (HtV : Rabs t * V <= 1) by (apply lt_inv in H1; [nra | lra]).
  apply lt_div in H2; [|lra].
  pose proof (line_expansion pb th v t Hz Hl HtV) as E. fold q B V in E. apply abs_le_both in E as [E _].
  assert (Hb : B * (Rabs t * V) ^ 3 = Rabs t ^ 2 * (Rabs t * (B * V ^ 3))) by ring.
  rewrite <- (pow2_abs t). rewrite <- (pow2_abs t) in E. assert (0 <= Rabs t ^ 2) by (apply pow_le; auto).
  assert (Rabs t * (B * V ^ 3) <= eps) by nra. nra.
Qed.

Theorem non_strict_saddle_sound : forall pb th psd descent a,
  check_non_strict_saddle pb th psd descent a = true -> non_strict_saddle (L pb) th.
Proof.
  intros pb th psd descent a H. unfold check_non_strict_saddle in H.
  apply andb_prop in H as [H Ha]. apply andb_prop in H as [H Hd]. apply andb_prop in H as [Hc Hs].
  assert (Hz : vzero (t1 (taylor pb th)) = true) by (apply andb_prop in Hc as [_ Hz]; auto).
  destruct (check_sos_sound _ _ Hs) as [Hq Hn].
  repeat split.
  - apply critical_sound; auto.
  - apply psd_sound; auto. intros v; rewrite Hq; auto.
  - apply (descent_curve_sound pb th descent); auto.
  - eapply ascent_sound; eauto.
Qed.

Theorem local_min_sound : forall pb th mu terms,
  check_local_min pb th mu terms = true -> strict_local_min (L pb) th.
Proof.
  intros pb th mu terms H. unfold check_local_min in H.
  apply andb_prop in H as [H Hs]. apply andb_prop in H as [Hc Hmu].
  assert (Hz : vzero (t1 (taylor pb th)) = true) by (apply andb_prop in Hc as [_ Hz]; auto).
  apply Qlt_bool_true in Hmu. rewrite Q2R_0 in Hmu. destruct (check_sos_sound _ _ Hs) as [Hq Hn].
  set (m := Q2R mu) in *. set (B := Q2R (tb (taylor pb th))). assert (HB : 0 <= B) by apply tb_nonneg.
  exists (Rmin 1 (m / (B + 1))). split; [apply Rmin_pos; [lra | apply Rdiv_lt_0_compat; lra]|].
  intros th' [Hl Hnear] Hne. set (h := diff th' th). set (n := vmax h).
  assert (Hhl : length h = length th) by (apply diff_length; auto).
  assert (Hd : 0 < Rmin 1 (m / (B + 1))) by (apply Rmin_pos; [lra | apply Rdiv_lt_0_compat; lra]).
  assert (Hnd : n < Rmin 1 (m / (B + 1))) by (apply vmax_lt; auto; apply diff_small; auto).
  assert (Hn1 : n < 1) by (eapply Rlt_le_trans; [exact Hnd | apply Rmin_l]).
  assert (Hnm : n < m / (B + 1)) by (eapply Rlt_le_trans; [exact Hnd | apply Rmin_r]).
  apply lt_div in Hnm; [|lra].
  assert (Hn0 : 0 < n).
  { destruct (Rle_lt_dec n 0) as [Hle|]; auto. exfalso. apply Hne. apply diff_zero; auto.
    apply vmax_zero. pose proof (vmax_nonneg h). unfold n, h in *. lra. }
  assert (Hsm : small h n) by (split; [lra | apply vmax_bound]).
  pose proof (taylor_at pb th h n Hz Hsm Hhl) as T. assert (Hsh : shift th h = th') by (apply diff_shift; auto). rewrite Hsh in T.
  rewrite <- (taylor_value pb th Hz) in T. apply abs_le_both in T as [T _]. fold B in T.
  assert (Hquad : m * n ^ 2 <= quad (t2 (taylor pb th)) h).
  { rewrite Hq, sosval_app, sosval_mu. pose proof (Hn h) as P.
    assert (0 <= sosval terms h).
    { clear -Hs. unfold check_sos in Hs. apply andb_prop in Hs as [Hd _]. rewrite forallb_app in Hd.
      apply andb_prop in Hd as [_ Hd]. induction terms as [|[d l] terms IH]; simpl; [lra|].
      simpl in Hd. apply andb_prop in Hd as [H1 H2]. apply Qle_bool_R in H1. rewrite Q2R_0 in H1.
      specialize (IH H2). assert (0 <= dotQR l h ^ 2) by apply pow2_ge_0. nra. }
    rewrite <- Hhl. change (Q2R mu) with m.
    assert (Hs2 : n ^ 2 <= fold_right (fun i s => nth i h 0 ^ 2 + s) 0 (seq 0 (length h))) by (unfold n; apply sumsq_vmax).
    assert (m * n ^ 2 <= m * fold_right (fun i s => nth i h 0 ^ 2 + s) 0 (seq 0 (length h)))
      by (apply Rmult_le_compat_l; lra). lra. }
  assert (0 < n ^ 2) by (apply pow_lt; auto).
  assert (HBn : B * n < m).
  { assert (n * (B + 1) = B * n + n) by ring. lra. }
  assert (B * n ^ 3 < m * n ^ 2).
  { replace (B * n ^ 3) with ((B * n) * n ^ 2) by ring. apply Rmult_lt_compat_r; auto. } lra.
Qed.

Theorem spurious_local_min_sound : forall pb th mu terms w,
  check_spurious_local_min pb th mu terms w = true -> spurious_local_min (L pb) th w.
Proof.
  intros pb th mu terms w H. unfold check_spurious_local_min in H.
  apply andb_prop in H as [H Hw]. apply andb_prop in H as [Hm Hl]. apply Nat.eqb_eq in Hl.
  apply Qlt_bool_true in Hw. unfold qloss in Hw. rewrite !loss_Q in Hw.
  split; [apply (local_min_sound pb th mu terms); auto | split; auto].
Qed.

Lemma sum_nonneg : forall l, Forall (fun x => 0 <= x) l -> 0 <= sum Rops l.
Proof. induction 1; simpl; [unfold zero; simpl; rewrite Q2R_0; lra | apply Rplus_le_le_0_compat; auto]. Qed.

Lemma pow_Rops : forall x k, pow Rops x k = x ^ k.
Proof. intros x k; induction k; simpl; [apply Q2R_1 | rewrite IHk; auto]. Qed.

Lemma horner_even_nonneg : forall n c x, (length c <= n)%nat -> even_nonneg c = true -> 0 <= horner Rops c x.
Proof.
  induction n as [|n IH]; intros c x Hl H.
  - destruct c; [simpl; unfold zero; simpl; rewrite Q2R_0; lra | simpl in Hl; lia].
  - destruct c as [|a [|b c]]; simpl.
    + unfold zero; simpl; rewrite Q2R_0; lra.
    + simpl in H. apply Qle_bool_R in H. rewrite Q2R_0 in H. unfold zero; simpl; rewrite Q2R_0; lra.
    + simpl in H. apply andb_prop in H as [H H3]. apply andb_prop in H as [H1 H2].
      apply Qle_bool_R in H1. rewrite Q2R_0 in H1. apply Qeq_bool_R in H2. rewrite Q2R_0 in H2.
      assert (0 <= horner Rops c x) by (apply IH; auto; simpl in Hl; lia).
      change (0 <= Q2R a + x * (Q2R b + x * horner Rops c x)). rewrite H2.
      assert (0 <= x * x) by nra. nra.
Qed.

Lemma fit_nonneg_sound : forall f m dy e, fit_nonneg f = true -> 0 <= fit_eval Rops f m dy e.
Proof.
  intros [| |k|c] m dy e H; simpl.
  - assert (0 <= Q2R (1 # 2)) by (apply Q2R_nonneg; unfold Qle; simpl; lia). nra.
  - assert (0 <= Q2R (/ inject_Z (Z.of_nat (dy * m)))).
    { apply Q2R_nonneg, Qinv_le_0_compat. unfold Qle; simpl; lia. } nra.
  - simpl in H. rewrite pow_Rops. apply Nat.even_spec in H as [j ->]. rewrite pow_mult.
    assert (0 <= (e ^ 2) ^ j) by (apply pow_le, pow2_ge_0).
    assert (0 <= Q2R (/ inject_Z (Z.of_nat (2 * j)))).
    { apply Q2R_nonneg, Qinv_le_0_compat. unfold Qle; simpl; lia. } nra.
  - apply (horner_even_nonneg (length c)); auto.
Qed.

Lemma L_nonneg : forall pb th, fit_nonneg (p_fit pb) = true -> forallb (Qle_bool 0) (p_lam pb) = true ->
  0 <= L pb th.
Proof.
  intros pb th Hf Hl. unfold L, loss. simpl. apply Rplus_le_le_0_compat.
  - apply sum_nonneg. apply Forall_forall. intros x Hx. apply in_map_iff in Hx as [e [<- _]].
    apply fit_nonneg_sound; auto.
  - apply sum_nonneg. generalize (p_lam pb) Hl th. clear. induction l as [|a l IH]; intros Hl [|w th]; simpl; constructor.
    + simpl in Hl. apply andb_prop in Hl as [Ha _]. apply Qle_bool_R in Ha. rewrite Q2R_0 in Ha.
      unfold reg_term; simpl. destruct (Qeq_bool a 0); [unfold zero; simpl; rewrite Q2R_0; lra|].
      assert (0 <= Q2R (a / 2)).
      { unfold Qdiv. rewrite Q2R_mult. assert (0 < Q2R (/ 2)) by (rewrite Q2R_inv by discriminate; unfold Q2R; simpl; lra). nra. }
      assert (0 <= w * w) by nra. nra.
    + simpl in Hl. apply andb_prop in Hl as [_ Hl]. apply IH; auto.
Qed.

Theorem global_min_sound : forall pb th,
  check_global_min pb th = true -> global_min (L pb) (nparams pb) th.
Proof.
  intros pb th H. unfold check_global_min in H.
  apply andb_prop in H as [H Hq]. apply andb_prop in H as [H Hl]. apply andb_prop in H as [Hn Hf].
  apply Nat.eqb_eq in Hn. split; auto. intros th'.
  apply Qeq_bool_R in Hq. unfold qloss in Hq. rewrite loss_Q, Q2R_0 in Hq. rewrite Hq. apply L_nonneg; auto.
Qed.

Theorem value_sound : forall pb th q, check_value pb th q = true -> L pb (map Q2R th) = Q2R q.
Proof. intros pb th q H. apply Qeq_bool_R in H. unfold qloss in H. rewrite loss_Q in H. exact H. Qed.
